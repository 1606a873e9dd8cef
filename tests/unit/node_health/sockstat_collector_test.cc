#include "sockstat_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::ParseSockstat;
using node_health::SockstatCollector;

TEST_SUITE_BEGIN("node_health::sockstat");

TEST_CASE("ParseSockstat reads protocol key value pairs") {
  auto v = ParseSockstat(
      "sockets: used 1427\n"
      "TCP: inuse 213 orphan 2 tw 87 alloc 302 mem 156\n"
      "FRAG: inuse 0 memory 0\n");
  REQUIRE(v.size() == 8);
  CHECK(v[0].protocol == "sockets");
  CHECK(v[0].key == "used");
  CHECK(v[0].value == 1427);
  CHECK(v[1].protocol == "TCP");
  CHECK(v[1].key == "inuse");
  CHECK(v[1].value == 213);
  CHECK(v[5].key == "mem");
  CHECK(v[5].value == 156);
  CHECK(v[7].protocol == "FRAG");
  CHECK(v[7].key == "memory");
  CHECK(ParseSockstat("").empty());
}

TEST_CASE("ParseSockstat rejects malformed lines") {
  CHECK_THROWS_AS(ParseSockstat("TCP inuse 1\n"), common::ParseError);
  CHECK_THROWS_AS(ParseSockstat(": inuse 1\n"), common::ParseError);
  CHECK_THROWS_AS(ParseSockstat("TCP: inuse 1 orphan\n"), common::ParseError);
  CHECK_THROWS_AS(ParseSockstat("TCP: inuse many\n"), common::ParseError);
}

TEST_CASE("SockstatCollector on the fixture tree") {
  SockstatCollector c(test::FixturePaths(), 4096);
  auto m = test::Collect(c);
  CHECK(m.at("node_sockstat_sockets_used") == 1427);
  CHECK(m.at("node_sockstat_TCP_inuse") == 213);
  CHECK(m.at("node_sockstat_TCP_orphan") == 2);
  CHECK(m.at("node_sockstat_TCP_tw") == 87);
  CHECK(m.at("node_sockstat_TCP_alloc") == 302);
  CHECK(m.at("node_sockstat_TCP_mem") == 156);
  CHECK(m.at("node_sockstat_TCP_mem_bytes") == 156 * 4096);
  CHECK(m.at("node_sockstat_UDP_inuse") == 14);
  CHECK(m.at("node_sockstat_UDP_mem") == 9);
  CHECK(m.at("node_sockstat_UDP_mem_bytes") == 9 * 4096);
  CHECK(m.at("node_sockstat_UDPLITE_inuse") == 0);
  CHECK(m.at("node_sockstat_RAW_inuse") == 1);
  CHECK(m.at("node_sockstat_FRAG_inuse") == 0);
  CHECK(m.at("node_sockstat_FRAG_memory") == 0);
  CHECK(m.at("node_sockstat_TCP6_inuse") == 41);
  CHECK(m.at("node_sockstat_UDP6_inuse") == 6);
  CHECK(m.at("node_sockstat_UDPLITE6_inuse") == 0);
  CHECK(m.at("node_sockstat_RAW6_inuse") == 1);
  CHECK(m.at("node_sockstat_FRAG6_inuse") == 0);
  CHECK(m.at("node_sockstat_FRAG6_memory") == 0);
  CHECK(m.size() == 20);

  std::string text = test::Render(c);
  CHECK(text == test::Render(c));
  CHECK(text.find("# HELP node_sockstat_TCP_tw Number of TCP sockets in state "
                  "tw.\n# TYPE node_sockstat_TCP_tw gauge\n") !=
        std::string::npos);
  CHECK(text.find("# HELP node_sockstat_sockets_used Number of IPv4 sockets "
                  "in use.\n") != std::string::npos);
}

TEST_CASE("SockstatCollector page size scales mem_bytes") {
  SockstatCollector c(test::FixturePaths(), 65536);
  CHECK(test::Collect(c).at("node_sockstat_TCP_mem_bytes") == 156 * 65536);
}

TEST_CASE("SockstatCollector with optional files absent and a bad file") {
  test::ScratchTree tree;
  SockstatCollector c(tree.paths(), 4096);
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);

  tree.Write("proc/net/sockstat", "sockets: used 3\nTCP: inuse 1 mem 2\n");
  auto m = test::Collect(c);
  CHECK(m.at("node_sockstat_sockets_used") == 3);
  CHECK(m.at("node_sockstat_TCP_mem_bytes") == 8192);
  CHECK(m.size() == 4);

  tree.Write("proc/net/sockstat6", "TCP6: inuse x\n");
  try {
    test::Collect(c);
    FAIL("no exception");
  } catch (const common::ParseError& e) {
    CHECK(std::string(e.what()).find("sockstat6: inuse:") != std::string::npos);
  }
}

TEST_SUITE_END();
