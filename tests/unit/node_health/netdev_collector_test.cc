#include "netdev_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::netdev");

namespace {
constexpr const char* kHeader =
    "Inter-|   Receive                                                |  "
    "Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes   "
    " packets "
    "errs drop fifo colls carrier compressed\n";
}  // namespace

TEST_CASE("ParseNetDev reads every column") {
  // NetDevLine::device views the text, which must outlive the result.
  const std::string text =
      std::string(kHeader) +
      "    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
      "  eth0: 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
      "18446744073709551615\n";
  auto lines = node_health::ParseNetDev(text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].device == "lo");
  for (size_t i = 0; i < node_health::kNetDevStats; ++i)
    CHECK(lines[0].stats[i] == i + 1);
  CHECK(lines[1].device == "eth0");
  CHECK(lines[1].stats[0] == 18446744073709551615ull);
  CHECK(lines[1].stats[15] == 18446744073709551615ull);
  CHECK(node_health::kNetDevStatNames[13] == "transmit_colls");
}

TEST_CASE(
    "ParseNetDev splits the name at the last colon and ignores extra columns") {
  const std::string text =
      std::string(kHeader) +
      "eth0:1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n"
      "veth0123456789a:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
  auto lines = node_health::ParseNetDev(text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].device == "eth0:1");
  CHECK(lines[0].stats[0] == 1);
  CHECK(lines[0].stats[15] == 16);
  CHECK(lines[1].device == "veth0123456789a");
  CHECK(lines[1].stats[0] == 1);
}

TEST_CASE("ParseNetDev rejects malformed lines") {
  CHECK_THROWS_AS(
      node_health::ParseNetDev(std::string(kHeader) +
                               "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"),
      common::ParseError);
  CHECK_THROWS_AS(node_health::ParseNetDev(
                      std::string(kHeader) +
                      "  eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseNetDev(
                      std::string(kHeader) +
                      "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n"),
                  common::ParseError);
  CHECK_THROWS_AS(
      node_health::ParseNetDev(std::string(kHeader) +
                               "   : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
      common::ParseError);
  CHECK_THROWS_AS(node_health::ParseNetDev(std::string(kHeader) +
                                           "  eth0: 18446744073709551616 2 3 4 "
                                           "5 6 7 8 9 10 11 12 13 14 15 16\n"),
                  common::ParseError);
  // An empty or headerless file is truncated, not "no interfaces".
  CHECK_THROWS_AS(node_health::ParseNetDev(""), common::ParseError);
  CHECK_THROWS_AS(node_health::ParseNetDev(
                      "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
                  common::ParseError);
  CHECK(node_health::ParseNetDev(kHeader).empty());
}

TEST_CASE("NetDevCollector on the fixture tree") {
  node_health::NetDevCollector c(test::FixturePaths(), {});
  auto m = test::Collect(c);
  CHECK(m.at("node_network_receive_bytes_total{device=\"eth0\"}") ==
        18446744073709551615.0);
  CHECK(m.at("node_network_receive_packets_total{device=\"eth0\"}") ==
        47218843);
  CHECK(m.at("node_network_receive_errs_total{device=\"eth0\"}") == 2);
  CHECK(m.at("node_network_receive_drop_total{device=\"eth0\"}") == 7);
  CHECK(m.at("node_network_receive_frame_total{device=\"eth0\"}") == 1);
  CHECK(m.at("node_network_receive_multicast_total{device=\"eth0\"}") == 31420);
  CHECK(m.at("node_network_transmit_bytes_total{device=\"eth0\"}") ==
        3461843220.0);
  CHECK(m.at("node_network_transmit_packets_total{device=\"eth0\"}") ==
        21854622);
  CHECK(m.at("node_network_transmit_compressed_total{device=\"eth0\"}") == 0);
  CHECK(m.at("node_network_receive_bytes_total{device=\"lo\"}") == 2776770);
  CHECK(m.at("node_network_receive_drop_total{device=\"vethc1f2a3b\"}") == 3);
  CHECK(m.at("node_network_transmit_bytes_total{device=\"vethc1f2a3b\"}") ==
        52428800);
  CHECK(m.size() == 3 * node_health::kNetDevStats);
}

TEST_CASE("NetDevCollector device filters") {
  node_health::NetDevOptions opts;
  opts.device_exclude = "^(lo|veth.*)$";
  node_health::NetDevCollector ex(test::FixturePaths(), opts);
  auto m = test::Collect(ex);
  CHECK(m.size() == node_health::kNetDevStats);
  CHECK(m.count("node_network_receive_bytes_total{device=\"eth0\"}") == 1);

  opts = {};
  opts.device_include = "^veth";
  node_health::NetDevCollector in(test::FixturePaths(), opts);
  m = test::Collect(in);
  CHECK(m.size() == node_health::kNetDevStats);
  CHECK(m.count("node_network_receive_bytes_total{device=\"vethc1f2a3b\"}") ==
        1);

  opts.device_exclude = "lo";
  CHECK_THROWS_AS(node_health::NetDevCollector(test::FixturePaths(), opts),
                  std::invalid_argument);
}

TEST_SUITE_END();
