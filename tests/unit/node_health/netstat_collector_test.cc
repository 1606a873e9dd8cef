#include "netstat_collector.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::netstat");

namespace {
std::string Joined(const node_health::NetStatValue& v) {
  return std::string(v.proto) + "_" + std::string(v.field);
}
}  // namespace

TEST_CASE("ParseNetStats reads name/value line pairs, negative values too") {
  std::vector<node_health::NetStatValue> out;
  node_health::ParseNetStats(
      "Tcp: RtoAlgorithm MaxConn CurrEstab\nTcp: 1 -1 23\n"
      "IpExt: InOctets\nIpExt: 18446744073709551615\n",
      "net/snmp", out);
  REQUIRE(out.size() == 4);
  CHECK(Joined(out[0]) == "Tcp_RtoAlgorithm");
  CHECK(out[1].value == -1);
  CHECK(Joined(out[2]) == "Tcp_CurrEstab");
  CHECK(out[2].value == 23);
  CHECK(Joined(out[3]) == "IpExt_InOctets");
  CHECK(out[3].value == 18446744073709551615.0);
}

TEST_CASE("ParseNetStats rejects mismatched pairs") {
  std::vector<node_health::NetStatValue> out;
  CHECK_THROWS_AS(
      node_health::ParseNetStats("Tcp: A B\nTcp: 1\n", "net/snmp", out),
      common::ParseError);
  CHECK_THROWS_AS(
      node_health::ParseNetStats("Tcp: A B\nUdp: 1 2\n", "net/snmp", out),
      common::ParseError);
  CHECK_THROWS_AS(
      node_health::ParseNetStats("Tcp: A B\nTcp: 1 x\n", "net/snmp", out),
      common::ParseError);
  CHECK_THROWS_AS(node_health::ParseNetStats("Tcp: A B\n", "net/snmp", out),
                  common::ParseError);
  CHECK_THROWS_AS(
      node_health::ParseNetStats("Tcp A B\nTcp 1 2\n", "net/snmp", out),
      common::ParseError);
}

TEST_CASE("ParseSnmp6 splits the protocol after its first digit run") {
  std::vector<node_health::NetStatValue> out;
  node_health::ParseSnmp6(
      "Ip6InReceives                   \t40213\n"
      "Icmp6InType133                  \t7\n"
      "UdpLite6InDatagrams             \t0\n"
      "Udp6OutDatagrams 312\n"
      "ifIndex 2\n"
      "Ip6\t5\n"
      "lonely\n",
      out);
  REQUIRE(out.size() == 4);
  CHECK(Joined(out[0]) == "Ip6_InReceives");
  CHECK(out[0].value == 40213);
  CHECK(Joined(out[1]) == "Icmp6_InType133");
  CHECK(Joined(out[2]) == "UdpLite6_InDatagrams");
  CHECK(Joined(out[3]) == "Udp6_OutDatagrams");
  CHECK(out[3].value == 312);
  CHECK_THROWS_AS(node_health::ParseSnmp6("Ip6InReceives abc\n", out),
                  common::ParseError);
}

TEST_CASE("NetStatCollector on the fixture tree") {
  node_health::NetStatCollector c(test::FixturePaths(), {});
  std::string text = test::Render(c);
  CHECK(text.find("# HELP node_netstat_Tcp_CurrEstab Statistic TcpCurrEstab.\n"
                  "# TYPE node_netstat_Tcp_CurrEstab untyped\n") !=
        std::string::npos);
  auto m = test::ParseSeries(text);
  CHECK(m.size() == 42);
  CHECK(m.at("node_netstat_Tcp_CurrEstab") == 23);
  CHECK(m.at("node_netstat_Tcp_ActiveOpens") == 1201);
  CHECK(m.at("node_netstat_Tcp_PassiveOpens") == 387);
  CHECK(m.at("node_netstat_Tcp_RetransSegs") == 310);
  CHECK(m.at("node_netstat_Tcp_InErrs") == 4);
  CHECK(m.at("node_netstat_Tcp_OutRsts") == 95);
  CHECK(m.at("node_netstat_Ip_Forwarding") == 1);
  CHECK(m.at("node_netstat_IpExt_InOctets") == 184467440737.0);
  CHECK(m.at("node_netstat_IpExt_OutOctets") == 98765432101.0);
  CHECK(m.at("node_netstat_Icmp_InErrors") == 3);
  CHECK(m.at("node_netstat_TcpExt_ListenOverflows") == 12);
  CHECK(m.at("node_netstat_TcpExt_ListenDrops") == 14);
  CHECK(m.at("node_netstat_TcpExt_SyncookiesSent") == 3);
  CHECK(m.at("node_netstat_TcpExt_TCPSynRetrans") == 42);
  CHECK(m.at("node_netstat_TcpExt_TCPTimeouts") == 57);
  CHECK(m.at("node_netstat_TcpExt_TCPOFOQueue") == 1088);
  CHECK(m.at("node_netstat_TcpExt_TCPRcvQDrop") == 5);
  CHECK(m.at("node_netstat_Udp_InDatagrams") == 5542);
  CHECK(m.at("node_netstat_Udp_RcvbufErrors") == 6);
  CHECK(m.at("node_netstat_UdpLite_InErrors") == 0);
  CHECK(m.at("node_netstat_Ip6_InOctets") == 8043215);
  CHECK(m.at("node_netstat_Icmp6_OutMsgs") == 131);
  CHECK(m.at("node_netstat_Udp6_InDatagrams") == 305);
  CHECK(m.at("node_netstat_UdpLite6_InErrors") == 0);
  CHECK(m.count("node_netstat_Tcp_MaxConn") == 0);
  CHECK(m.count("node_netstat_TcpExt_DelayedACKs") == 0);

  // A second scrape comes from the Desc cache and gives the same answer.
  CHECK(test::Collect(c) == m);
}

TEST_CASE("NetStatCollector with its own fields pattern, and without snmp6") {
  auto paths = test::FixturePaths();
  node_health::NetStatOptions opts;
  opts.fields = "^Tcp_(MaxConn|CurrEstab)$";
  node_health::NetStatCollector c(paths, opts);
  auto m = test::Collect(c);
  CHECK(m.size() == 2);
  CHECK(m.at("node_netstat_Tcp_MaxConn") == -1);

  opts.fields = "^Ip6_";
  node_health::NetStatCollector v6(paths, opts);
  CHECK(test::Collect(v6).size() == 33);

  opts.fields = "(";
  CHECK_THROWS_AS(node_health::NetStatCollector(paths, opts),
                  std::invalid_argument);

  // IPv6 disabled: no snmp6, the IPv4 statistics still come.
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("netstat_test_" + std::to_string(getpid()));
  fs::create_directories(dir / "net");
  fs::copy_file(paths.Proc("net/netstat"), dir / "net/netstat");
  fs::copy_file(paths.Proc("net/snmp"), dir / "net/snmp");
  common::Paths no_v6 = paths;
  no_v6.procfs = dir.string();
  node_health::NetStatCollector v4(no_v6, {});
  m = test::Collect(v4);
  fs::remove_all(dir);
  CHECK(m.size() == 42 - 12);  // 12 selected fields come from snmp6
  CHECK(m.at("node_netstat_Tcp_CurrEstab") == 23);
  CHECK(m.count("node_netstat_Ip6_InOctets") == 0);

  paths.procfs += "/does-not-exist";
  node_health::NetStatCollector missing(paths, {});
  CHECK_THROWS_AS(test::Collect(missing), common::NoDataError);
}

TEST_SUITE_END();
