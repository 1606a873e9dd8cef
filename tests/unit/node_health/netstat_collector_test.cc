#include "netstat_collector.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <string>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::netstat");

namespace {

// A Select that picks every key (or those `keep` allows), counting calls.
struct Picker {
  std::function<bool(std::string_view)> keep = [](std::string_view) {
    return true;
  };
  std::deque<common::Desc> descs;
  int calls = 0;
  node_health::NetStatParser::Select Fn() {
    return [this](std::string_view key) -> const common::Desc* {
      ++calls;
      if (!keep(key)) return nullptr;
      descs.emplace_back("node_netstat_" + std::string(key), "help",
                         common::MetricType::kUntyped);
      return &descs.back();
    };
  }
};

// "Tcp_CurrEstab=23" for each sample.
std::vector<std::string> Shown(
    const std::vector<node_health::NetStatSample>& samples) {
  std::vector<std::string> out;
  for (const auto& s : samples) {
    std::string value = std::to_string(s.value);
    value.erase(value.find_last_not_of('0') + 1);
    if (value.back() == '.') value.pop_back();
    out.push_back(s.desc->name().substr(13) + "=" + value);
  }
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("ParsePairs reads name/value line pairs, negative values too") {
  Picker pick;
  node_health::NetStatParser p;
  std::vector<node_health::NetStatSample> out;
  p.ParsePairs(
      "Tcp: RtoAlgorithm MaxConn CurrEstab\nTcp: 1 -1 23\n"
      "IpExt: InOctets\nIpExt: 18446744073709551615\n",
      "net/snmp", pick.Fn(), out);
  CHECK(Shown(out) == Strings{"Tcp_RtoAlgorithm=1", "Tcp_MaxConn=-1",
                              "Tcp_CurrEstab=23",
                              "IpExt_InOctets=18446744073709551616"});
  CHECK(out[3].value == 18446744073709551615.0);
  CHECK(pick.calls == 4);
}

TEST_CASE("ParsePairs looks names up once, and again when they change") {
  Picker pick;
  pick.keep = [](std::string_view key) { return key != "Tcp_MaxConn"; };
  node_health::NetStatParser p;
  std::vector<node_health::NetStatSample> out;
  p.ParsePairs("Tcp: A MaxConn B\nTcp: 1 -1 2\nUdp: C\nUdp: 3\n", "net/snmp",
               pick.Fn(), out);
  CHECK(Shown(out) == Strings{"Tcp_A=1", "Tcp_B=2", "Udp_C=3"});
  CHECK(pick.calls == 4);
  // Same names: no lookups; an unpicked value is counted, not parsed.
  out.clear();
  p.ParsePairs("Tcp: A MaxConn B\nTcp: 10 x 20\nUdp: C\nUdp: 30\n", "net/snmp",
               pick.Fn(), out);
  CHECK(Shown(out) == Strings{"Tcp_A=10", "Tcp_B=20", "Udp_C=30"});
  CHECK(pick.calls == 4);
  // A newer kernel adds a field in the middle of Tcp: that pair is looked up
  // again and the values land on the right names.
  out.clear();
  p.ParsePairs("Tcp: A New MaxConn B\nTcp: 1 5 -1 2\nUdp: C\nUdp: 3\n",
               "net/snmp", pick.Fn(), out);
  CHECK(Shown(out) == Strings{"Tcp_A=1", "Tcp_New=5", "Tcp_B=2", "Udp_C=3"});
  CHECK(pick.calls == 8 + 1);  // Tcp's 4 names again, Udp's 1
  // A remembered pair still checks its values' count and protocol.
  out.clear();
  CHECK_THROWS_AS(p.ParsePairs("Tcp: A New MaxConn B\nTcp: 1 5 -1\n",
                               "net/snmp", pick.Fn(), out),
                  common::ParseError);
  CHECK_THROWS_AS(p.ParsePairs("Tcp: A New MaxConn B\nUdp: 1 5 -1 2\n",
                               "net/snmp", pick.Fn(), out),
                  common::ParseError);
  // Forget() makes it look everything up again.
  p.Forget();
  out.clear();
  pick.calls = 0;
  p.ParsePairs("Tcp: A New MaxConn B\nTcp: 1 5 -1 2\n", "net/snmp", pick.Fn(),
               out);
  CHECK(pick.calls == 4);
}

TEST_CASE("ParsePairs rejects mismatched pairs") {
  Picker pick;
  std::vector<node_health::NetStatSample> out;
  auto parse = [&](std::string_view text) {
    node_health::NetStatParser p;
    p.ParsePairs(text, "net/snmp", pick.Fn(), out);
  };
  CHECK_THROWS_WITH_AS(parse("Tcp: A B\nTcp: 1\n"),
                       "net/snmp: line 2: Tcp has 2 names but 1 values",
                       common::ParseError);
  CHECK_THROWS_WITH_AS(
      parse("Tcp: A B\nUdp: 1 2\n"),
      "net/snmp: line 2: values of \"Udp:\" follow the names of \"Tcp:\"",
      common::ParseError);
  CHECK_THROWS_WITH_AS(parse("Tcp: A B\nTcp: 1 x\n"),
                       "net/snmp: line 2: expected a number, got \"x\"",
                       common::ParseError);
  CHECK_THROWS_WITH_AS(parse("Tcp: A B\n"),
                       "net/snmp: line 1: names without a line of values",
                       common::ParseError);
  // A bad names line is reported at its own line.
  CHECK_THROWS_WITH_AS(parse("Udp: C\nUdp: 3\nTcp A B\nTcp 1 2\n"),
                       "net/snmp: line 3: expected \"<Proto>:\", got \"Tcp\"",
                       common::ParseError);
}

TEST_CASE("ParseSnmp6 splits the protocol after its first digit run") {
  Picker pick;
  node_health::NetStatParser p;
  std::vector<node_health::NetStatSample> out;
  std::string text =
      "Ip6InReceives                   \t40213\n"
      "Icmp6InType133                  \t7\n"
      "UdpLite6InDatagrams             \t0\n"
      "Udp6OutDatagrams 312\n"
      "ifIndex 2\n"
      "Ip6\t5\n"
      "lonely\n";
  p.ParseSnmp6(text, pick.Fn(), out);
  CHECK(Shown(out) == Strings{"Ip6_InReceives=40213", "Icmp6_InType133=7",
                              "UdpLite6_InDatagrams=0",
                              "Udp6_OutDatagrams=312"});
  CHECK(pick.calls == 4);
  // The second read looks nothing up; a new line is looked up alone.
  out.clear();
  p.ParseSnmp6(text + "Ip6OutNoRoutes 9\n", pick.Fn(), out);
  CHECK(out.size() == 5);
  CHECK(Shown(out).back() == "Ip6_OutNoRoutes=9");
  CHECK(pick.calls == 5);
  CHECK_THROWS_WITH_AS(p.ParseSnmp6("Ip6InReceives abc\n", pick.Fn(), out),
                       "net/snmp6: line 1: expected a number, got \"abc\"",
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
