#include "pressure_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::ParsePressure;
using node_health::PressureCollector;

TEST_SUITE_BEGIN("node_health::pressure");

TEST_CASE("ParsePressure reads some and full totals in seconds") {
  auto t = ParsePressure(
      "some avg10=0.31 avg60=0.22 avg300=0.17 total=1834560231\n"
      "full avg10=0.12 avg60=0.09 avg300=0.07 total=1209345112\n");
  REQUIRE(t.some.has_value());
  REQUIRE(t.full.has_value());
  CHECK(*t.some == 1834.560231);
  CHECK(*t.full == 1209.345112);
}

TEST_CASE("ParsePressure takes a file with one line and unknown keys") {
  // /proc/pressure/irq has only a "full" line.
  auto irq =
      ParsePressure("full avg10=0.00 avg60=0.00 avg300=0.00 total=2500000\n");
  CHECK_FALSE(irq.some.has_value());
  CHECK(*irq.full == 2.5);
  auto newer =
      ParsePressure("some avg10=0.00 avg600=1.0 total=1 extra=5\nmore x\n");
  CHECK(*newer.some == 1e-6);
  CHECK_FALSE(newer.full.has_value());
  auto huge = ParsePressure("some total=18446744073709551615\n");
  CHECK(*huge.some == 18446744073709551615.0 / 1e6);
}

TEST_CASE("ParsePressure rejects a line without total and a non-number") {
  CHECK_THROWS_AS(ParsePressure("some avg10=0.00 avg60=0.00 avg300=0.00\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParsePressure("some avg10=0.00 total=12x\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParsePressure("full total=\n"), common::ParseError);
  CHECK_THROWS_AS(ParsePressure("full total=-5\n"), common::ParseError);
}

TEST_CASE("PressureCollector on the fixture tree (no irq file)") {
  PressureCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  CHECK(m.at("node_pressure_cpu_waiting_seconds_total") == 7623.418932);
  CHECK(m.at("node_pressure_io_waiting_seconds_total") == 1834.560231);
  CHECK(m.at("node_pressure_io_stalled_seconds_total") == 1209.345112);
  CHECK(m.at("node_pressure_memory_waiting_seconds_total") == 48.2135);
  CHECK(m.at("node_pressure_memory_stalled_seconds_total") == 31.02275);
  CHECK(m.count("node_pressure_irq_stalled_seconds_total") == 0);
  CHECK(m.size() == 5);
  CHECK(test::Render(c).find(
            "# HELP node_pressure_cpu_waiting_seconds_total Total time in "
            "seconds that processes have waited for CPU time\n"
            "# TYPE node_pressure_cpu_waiting_seconds_total counter\n") !=
        std::string::npos);
}

TEST_CASE("PressureCollector with irq, without PSI and with bad files") {
  test::ScratchTree tree;
  PressureCollector c(tree.paths());
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);

  const char* kLines =
      "some avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\n"
      "full avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n";
  tree.Write("proc/pressure/cpu", kLines);
  tree.Write("proc/pressure/io", kLines);
  tree.Write("proc/pressure/memory", kLines);
  tree.Write("proc/pressure/irq",
             "full avg10=0.00 avg60=0.00 avg300=0.00 total=250000\n");
  auto m = test::Collect(c);
  CHECK(m.at("node_pressure_irq_stalled_seconds_total") == 0.25);
  CHECK(m.at("node_pressure_memory_stalled_seconds_total") == 0.5);
  CHECK(m.size() == 6);

  tree.Write("proc/pressure/io", "some avg10=0.00 total=1\n");  // no full
  try {
    test::Collect(c);
    FAIL("no exception");
  } catch (const common::ParseError& e) {
    CHECK(std::string(e.what()).find("pressure/io: missing \"full\" line") !=
          std::string::npos);
  }
  tree.Write("proc/pressure/io", "some avg10=0.00 total=zz\n");
  try {
    test::Collect(c);
    FAIL("no exception");
  } catch (const common::ParseError& e) {
    CHECK(std::string(e.what()).find("pressure/io: total:") !=
          std::string::npos);
  }
}

TEST_SUITE_END();
