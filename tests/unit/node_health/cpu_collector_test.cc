#include "cpu_collector.h"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::CpuCollector;
using node_health::CpuTimes;
using node_health::MergeCpuTimes;
using node_health::ParseCpuStat;

TEST_SUITE_BEGIN("node_health::cpu");

namespace {

std::string StatWithCpu0(std::string_view cpu0) {
  return "cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 " + std::string(cpu0) +
         "\nintr 5 1 2\nctxt 10\nbtime 1\nprocesses 2\nprocs_running 1\n"
         "procs_blocked 0\n";
}

}  // namespace

TEST_CASE("ParseCpuStat reads per-CPU lines in seconds and skips the total") {
  auto cpus = ParseCpuStat(
      "cpu  500 10 300 9000 40 0 7 3 20 1\n"
      "cpu0 250 4 150 4500 20 0 5 1 20 1\n"
      "cpu12 250 6 150 4500 20 0 2 2 0 0\n"
      "intr 123 0 0 4\n",
      100);
  REQUIRE(cpus.size() == 2);
  CHECK(cpus[0].cpu == "0");
  CHECK(cpus[0].id == 0);
  CHECK(cpus[0].times.user == 2.5);
  CHECK(cpus[0].times.nice == 0.04);
  CHECK(cpus[0].times.system == 1.5);
  CHECK(cpus[0].times.idle == 45);
  CHECK(cpus[0].times.iowait == 0.2);
  CHECK(cpus[0].times.irq == 0);
  CHECK(cpus[0].times.softirq == 0.05);
  CHECK(cpus[0].times.steal == 0.01);
  CHECK(cpus[0].times.guest == 0.2);
  CHECK(cpus[0].times.guest_nice == 0.01);
  CHECK(cpus[1].cpu == "12");
  CHECK(cpus[1].id == 12);
  CHECK(cpus[1].times.steal == 0.02);
}

TEST_CASE("ParseCpuStat divides by the given USER_HZ") {
  auto cpus = ParseCpuStat("cpu0 250 0 0 1000 0 0 0 0 0 0\n", 250);
  REQUIRE(cpus.size() == 1);
  CHECK(cpus[0].times.user == 1);
  CHECK(cpus[0].times.idle == 4);
}

TEST_CASE("ParseCpuStat accepts 8 columns and extra columns of newer kernels") {
  auto old = ParseCpuStat("cpu0 100 0 200 300 0 0 0 400\n", 100);
  REQUIRE(old.size() == 1);
  CHECK(old[0].times.steal == 4);
  CHECK(old[0].times.guest == 0);
  CHECK(old[0].times.guest_nice == 0);

  auto wide =
      ParseCpuStat("cpu0 100 0 200 300 0 0 0 400 500 600 700 800\n", 100);
  REQUIRE(wide.size() == 1);
  CHECK(wide[0].times.guest == 5);
  CHECK(wide[0].times.guest_nice == 6);

  auto huge = ParseCpuStat("cpu0 18446744073709551615 0 0 0 0 0 0 0\n", 1);
  CHECK(huge[0].times.user == 18446744073709551615.0);
}

TEST_CASE("ParseCpuStat rejects short lines, non-numbers and bad names") {
  CHECK_THROWS_AS(ParseCpuStat("cpu0 1 2 3 4 5 6 7\n", 100),
                  common::ParseError);
  CHECK_THROWS_AS(ParseCpuStat("cpu0\n", 100), common::ParseError);
  CHECK_THROWS_AS(ParseCpuStat("cpu0 1 2 x 4 5 6 7 8\n", 100),
                  common::ParseError);
  CHECK_THROWS_AS(ParseCpuStat("cpu0 1 2 -3 4 5 6 7 8\n", 100),
                  common::ParseError);
  CHECK_THROWS_AS(ParseCpuStat("cpuX 1 2 3 4 5 6 7 8\n", 100),
                  common::ParseError);
  // A truncated line in the middle of the block.
  CHECK_THROWS_AS(ParseCpuStat("cpu0 1 2 3 4 5 6 7 8\ncpu1 1 2 3\n", 100),
                  common::ParseError);
}

TEST_CASE("ParseCpuStat message names the file and the CPU") {
  try {
    ParseCpuStat("cpu3 1 2 3\n", 100);
    FAIL("no exception");
  } catch (const common::ParseError& e) {
    CHECK(std::string(e.what()).find("/proc/stat: cpu3") != std::string::npos);
  }
}

TEST_CASE("MergeCpuTimes never goes backwards unless idle drops by 3 s") {
  CpuTimes last{.user = 10, .nice = 1, .system = 5, .idle = 100};
  // A small glitch: user and idle drop a little; the old values stay.
  MergeCpuTimes(last, {.user = 9.5, .nice = 2, .system = 6, .idle = 98});
  CHECK(last.user == 10);
  CHECK(last.nice == 2);
  CHECK(last.system == 6);
  CHECK(last.idle == 100);
  // Idle falls by 3 s or more: a hot-plugged CPU starting again.
  MergeCpuTimes(last, {.user = 1, .nice = 0, .system = 0.5, .idle = 97});
  CHECK(last.user == 1);
  CHECK(last.nice == 0);
  CHECK(last.system == 0.5);
  CHECK(last.idle == 97);
}

TEST_CASE("CpuCollector on the fixture tree") {
  CpuCollector c(test::FixturePaths(), true, 100);
  auto m = test::Collect(c);
  CHECK(m.at("node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}") == 3012.45);
  CHECK(m.at("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}") == 81234.56);
  CHECK(m.at("node_cpu_seconds_total{cpu=\"3\",mode=\"softirq\"}") == 23.1);
  CHECK(m.at("node_cpu_seconds_total{cpu=\"2\",mode=\"steal\"}") == 4.2);
  CHECK(m.at("node_cpu_seconds_total{cpu=\"1\",mode=\"irq\"}") == 0);
  CHECK(m.at("node_cpu_guest_seconds_total{cpu=\"0\",mode=\"user\"}") == 12);
  CHECK(m.at("node_cpu_guest_seconds_total{cpu=\"0\",mode=\"nice\"}") == 0.3);
  CHECK(m.at("node_cpu_guest_seconds_total{cpu=\"3\",mode=\"user\"}") == 0);
  // 4 CPUs x (8 modes + 2 guest modes), no aggregate "cpu" line.
  CHECK(m.size() == 40);
  CHECK(m.count("node_cpu_seconds_total{cpu=\"\",mode=\"user\"}") == 0);

  std::string text = test::Render(c);
  CHECK(text.find("# HELP node_cpu_seconds_total Seconds the CPUs spent in "
                  "each mode.\n# TYPE node_cpu_seconds_total counter\n") !=
        std::string::npos);
}

TEST_CASE("CpuCollector without guest metrics") {
  CpuCollector c(test::FixturePaths(), false, 100);
  auto m = test::Collect(c);
  CHECK(m.size() == 32);
  CHECK(m.count("node_cpu_guest_seconds_total{cpu=\"0\",mode=\"user\"}") == 0);
}

TEST_CASE("CpuCollector keeps counters monotonic across scrapes") {
  test::ScratchTree tree;
  CpuCollector c(tree.paths(), true, 100);
  const std::string user = "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}";
  const std::string idle = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}";

  tree.Write("proc/stat", StatWithCpu0("1000 0 0 50000 0 0 0 0 0 0"));
  auto m = test::Collect(c);
  CHECK(m.at(user) == 10);
  CHECK(m.at(idle) == 500);

  // user and idle go back a little (idle by 2 s): the last values stay.
  tree.Write("proc/stat", StatWithCpu0("990 0 0 49800 0 0 0 0 0 0"));
  m = test::Collect(c);
  CHECK(m.at(user) == 10);
  CHECK(m.at(idle) == 500);

  // Forward again: new values.
  tree.Write("proc/stat", StatWithCpu0("1100 0 0 50100 0 0 0 0 0 0"));
  m = test::Collect(c);
  CHECK(m.at(user) == 11);
  CHECK(m.at(idle) == 501);

  // Idle back by 400 s: a hotplug reset, the new (lower) values are taken.
  tree.Write("proc/stat", StatWithCpu0("20 0 0 10100 0 0 0 0 0 0"));
  m = test::Collect(c);
  CHECK(m.at(user) == 0.2);
  CHECK(m.at(idle) == 101);
}

TEST_CASE("CpuCollector fails on a corrupt file and on a file without CPUs") {
  test::ScratchTree tree;
  CpuCollector c(tree.paths(), true, 100);
  tree.Write("proc/stat", StatWithCpu0("1 2 3"));
  CHECK_THROWS_AS(test::Collect(c), common::ParseError);
  tree.Write("proc/stat", "intr 1\nctxt 2\n");
  CHECK_THROWS_AS(test::Collect(c), common::ParseError);
}

TEST_CASE("CpuSpec flag --collector.cpu.guest") {
  for (auto [args, guest] : {std::pair{std::vector<std::string>{}, true},
                             {{"--no-collector.cpu.guest"}, false},
                             {{"--collector.cpu.guest=false"}, false}}) {
    auto spec = node_health::CpuSpec();
    CHECK(spec.name == "cpu");
    CHECK(spec.enabled_by_default);
    CLI::App app;
    spec.add_flags(app);
    std::vector<std::string> argv(args.rbegin(), args.rend());
    app.parse(argv);
    common::Paths paths = test::FixturePaths();
    auto c = spec.factory(common::CollectorContext{paths});
    auto m = test::Collect(*c);
    CHECK(m.count("node_cpu_guest_seconds_total{cpu=\"0\",mode=\"user\"}") ==
          (guest ? 1u : 0u));
  }
}

TEST_SUITE_END();
