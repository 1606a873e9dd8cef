#include "stat_collector.h"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::ParseStat;
using node_health::StatCollector;

TEST_SUITE_BEGIN("node_health::stat");

namespace {

constexpr std::string_view kStatTail =
    "ctxt 1987263541\n"
    "btime 1718870400\n"
    "processes 2341678\n"
    "procs_running 3\n"
    "procs_blocked 1\n"
    "softirq 58703415 12 20934511 88213 12019874 1203947 0 40129 9912384 1024 "
    "14503321\n";

std::string Stat(std::string_view intr_line,
                 std::string_view tail = kStatTail) {
  return "cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\n" +
         std::string(intr_line) + "\n" + std::string(tail);
}

}  // namespace

TEST_CASE("ParseStat reads the system-wide counters") {
  auto s = ParseStat(Stat("intr 49372678 0 9 0 0 1 143"));
  CHECK(s.interrupts == 49372678);
  CHECK(s.context_switches == 1987263541);
  CHECK(s.boot_time == 1718870400);
  CHECK(s.forks == 2341678);
  CHECK(s.procs_running == 3);
  CHECK(s.procs_blocked == 1);
  REQUIRE(s.has_softirq);
  CHECK(s.softirqs[0] == 12);        // hi
  CHECK(s.softirqs[3] == 12019874);  // net_rx
  CHECK(s.softirqs[9] == 14503321);  // rcu
  CHECK(node_health::kSoftirqVectors[3] == "net_rx");
}

TEST_CASE("ParseStat reads only the first number of a 200 KB intr line") {
  std::string intr = "intr 18446744073709551615";
  // One counter per interrupt line, as on a host with many MSI-X vectors;
  // the last one is deliberately not a number to prove it is never parsed.
  while (intr.size() < 200 * 1024) intr += " 0 17 123456";
  intr += " x";
  REQUIRE(intr.size() > 200 * 1024);
  auto s = ParseStat(Stat(intr));
  CHECK(s.interrupts == 18446744073709551615.0);
  CHECK(s.context_switches == 1987263541);
  CHECK(s.procs_blocked == 1);
}

TEST_CASE("ParseStat accepts a file without softirq and unknown lines") {
  auto s = ParseStat(
      "intr 5\nctxt 6\nbtime 7\nprocesses 8\nprocs_running 9\n"
      "procs_blocked 10\npage 1 2\nswap 3 4\nnew_kernel_line 1 2 3\n");
  CHECK_FALSE(s.has_softirq);
  CHECK(s.interrupts == 5);
  CHECK(s.procs_blocked == 10);
}

TEST_CASE("ParseStat rejects missing lines, non-numbers and a short softirq") {
  CHECK_THROWS_AS(ParseStat(""), common::ParseError);
  // Truncated: no procs_blocked.
  CHECK_THROWS_AS(
      ParseStat("intr 5\nctxt 6\nbtime 7\nprocesses 8\nprocs_running 9\n"),
      common::ParseError);
  CHECK_THROWS_AS(ParseStat(Stat("intr")), common::ParseError);
  CHECK_THROWS_AS(ParseStat(Stat("intr x 1 2")), common::ParseError);
  CHECK_THROWS_AS(ParseStat(Stat("intr -1 1 2")), common::ParseError);
  CHECK_THROWS_AS(ParseStat(Stat("intr 1",
                                 "ctxt 1\nbtime 1\nprocesses 1.5\n"
                                 "procs_running 1\nprocs_blocked 1\n")),
                  common::ParseError);
  CHECK_THROWS_AS(ParseStat(Stat("intr 1",
                                 "ctxt 1\nbtime 1\nprocesses 1\n"
                                 "procs_running 1\nprocs_blocked 1\n"
                                 "softirq 10 1 2 3\n")),
                  common::ParseError);
  try {
    ParseStat("intr 5\nctxt 6\nbtime 7\nprocesses 8\nprocs_running 9\n");
    FAIL("no exception");
  } catch (const common::ParseError& e) {
    CHECK(std::string(e.what()) == "/proc/stat: procs_blocked: line missing");
  }
}

TEST_CASE("StatCollector on the fixture tree") {
  StatCollector c(test::FixturePaths(), false);
  auto m = test::Collect(c);
  CHECK(m.at("node_boot_time_seconds") == 1718870400);
  CHECK(m.at("node_context_switches_total") == 1987263541);
  CHECK(m.at("node_forks_total") == 2341678);
  CHECK(m.at("node_intr_total") == 49372678);
  CHECK(m.at("node_procs_running") == 3);
  CHECK(m.at("node_procs_blocked") == 1);
  CHECK(m.size() == 6);
  std::string text = test::Render(c);
  CHECK(text.find("# HELP node_boot_time_seconds Node boot time, in unixtime.\n"
                  "# TYPE node_boot_time_seconds gauge\n") !=
        std::string::npos);
  CHECK(text.find("# TYPE node_intr_total counter\n") != std::string::npos);
}

TEST_CASE("StatCollector with softirq vectors") {
  StatCollector c(test::FixturePaths(), true);
  auto m = test::Collect(c);
  CHECK(m.at("node_softirqs_total{vector=\"hi\"}") == 12);
  CHECK(m.at("node_softirqs_total{vector=\"timer\"}") == 20934511);
  CHECK(m.at("node_softirqs_total{vector=\"net_rx\"}") == 12019874);
  CHECK(m.at("node_softirqs_total{vector=\"block_iopoll\"}") == 0);
  CHECK(m.at("node_softirqs_total{vector=\"rcu\"}") == 14503321);
  CHECK(m.size() == 16);
}

TEST_CASE("StatCollector with softirq fails when the line is missing") {
  test::ScratchTree tree;
  tree.Write("proc/stat",
             "intr 5\nctxt 6\nbtime 7\nprocesses 8\nprocs_running 9\n"
             "procs_blocked 10\n");
  StatCollector without(tree.paths(), false);
  CHECK(test::Collect(without).at("node_intr_total") == 5);
  StatCollector with(tree.paths(), true);
  CHECK_THROWS_AS(test::Collect(with), common::ParseError);
}

TEST_CASE("StatSpec flag --collector.stat.softirq") {
  for (auto [args, softirq] : {std::pair{std::vector<std::string>{}, false},
                               {{"--collector.stat.softirq"}, true}}) {
    auto spec = node_health::StatSpec();
    CHECK(spec.name == "stat");
    CLI::App app;
    spec.add_flags(app);
    std::vector<std::string> argv(args.rbegin(), args.rend());
    app.parse(argv);
    common::Paths paths = test::FixturePaths();
    auto c = spec.factory(common::CollectorContext{paths});
    CHECK(test::Collect(*c).count("node_softirqs_total{vector=\"sched\"}") ==
          (softirq ? 1u : 0u));
  }
}

TEST_SUITE_END();
