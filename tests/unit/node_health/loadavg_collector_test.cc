#include "loadavg_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::loadavg");

TEST_CASE("ParseLoadavg reads the three averages") {
  auto load = node_health::ParseLoadavg("0.21 0.37 0.39 1/719 19737\n");
  CHECK(load[0] == doctest::Approx(0.21));
  CHECK(load[1] == doctest::Approx(0.37));
  CHECK(load[2] == doctest::Approx(0.39));
}

TEST_CASE("ParseLoadavg rejects a truncated line and a non-number") {
  CHECK_THROWS_AS(node_health::ParseLoadavg("0.21 0.37"), common::ParseError);
  CHECK_THROWS_AS(node_health::ParseLoadavg("0.21 x 0.39 1/2 3"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseLoadavg(""), common::ParseError);
}

TEST_CASE("LoadavgCollector on the fixture tree") {
  node_health::LoadavgCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  CHECK(m.at("node_load1") == 0.21);
  CHECK(m.at("node_load15") == 0.39);
}

TEST_SUITE_END();
