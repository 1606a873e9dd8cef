#include "time_collector.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::time");

namespace {
// Sets TZ for the lifetime of the object, restoring the old value after.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTz() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};
}  // namespace

TEST_CASE("ParseAvailableClocksources splits the names") {
  auto cs = node_health::ParseAvailableClocksources("tsc hpet acpi_pm \n");
  REQUIRE(cs.size() == 3);
  CHECK(cs[0] == "tsc");
  CHECK(cs[2] == "acpi_pm");
  CHECK(node_health::ParseAvailableClocksources("\n").empty());
}

TEST_CASE("LocalZoneAt follows TZ") {
  {
    ScopedTz tz("JST-9");
    auto z = node_health::LocalZoneAt(1700000000);
    CHECK(z.name == "JST");
    CHECK(z.offset_seconds == 9 * 3600);
  }
  {
    // A zone with summer time: the offset depends on the instant.
    ScopedTz tz("CET-1CEST,M3.5.0,M10.5.0/3");
    auto winter = node_health::LocalZoneAt(1704067200);  // 2024-01-01
    CHECK(winter.name == "CET");
    CHECK(winter.offset_seconds == 3600);
    auto summer = node_health::LocalZoneAt(1719792000);  // 2024-07-01
    CHECK(summer.name == "CEST");
    CHECK(summer.offset_seconds == 7200);
  }
}

TEST_CASE("TimeCollector on the fixture tree") {
  ScopedTz tz("JST-9");
  node_health::TimeCollector c(test::FixturePaths());
  std::time_t before = std::time(nullptr);
  auto m = test::Collect(c);
  std::time_t after = std::time(nullptr);
  CHECK(m.at("node_time_seconds") >= static_cast<double>(before));
  CHECK(m.at("node_time_seconds") < static_cast<double>(after + 1));
  CHECK(m.at("node_time_zone_offset_seconds{time_zone=\"JST\"}") == 32400);
  CHECK(m.at("node_time_clocksource_available_info{device=\"0\",clocksource="
             "\"tsc\"}") == 1);
  CHECK(m.at("node_time_clocksource_available_info{device=\"0\",clocksource="
             "\"hpet\"}") == 1);
  CHECK(m.at("node_time_clocksource_available_info{device=\"0\",clocksource="
             "\"acpi_pm\"}") == 1);
  CHECK(m.at("node_time_clocksource_current_info{device=\"0\",clocksource="
             "\"tsc\"}") == 1);
  CHECK(m.size() == 6);
}

TEST_CASE("TimeCollector without a clocksource directory") {
  auto paths = test::FixturePaths();
  paths.sysfs += "/does-not-exist";
  node_health::TimeCollector c(paths);
  auto m = test::Collect(c);
  CHECK(m.size() == 2);
  CHECK(m.count("node_time_seconds") == 1);
}

TEST_CASE("TimeCollector reads current clocksources from a kept listing") {
  test::ScratchTree t;
  t.Write("sys/devices/system/clocksource/clocksource0/available_clocksource",
          "tsc hpet \n");
  t.Write("sys/devices/system/clocksource/clocksource0/current_clocksource",
          "tsc\n");
  t.Write("sys/devices/system/clocksource/clocksource1/available_clocksource",
          "kvm-clock\n");
  t.Write("sys/devices/system/clocksource/clocksource1/current_clocksource",
          "kvm-clock\n");
  node_health::TimeCollector c(t.paths());
  const std::string current0 =
      "node_time_clocksource_current_info{device=\"0\",clocksource=";
  auto m = test::Collect(c);
  CHECK(m.size() == 2 + 3 + 2);
  CHECK(m.count(current0 + "\"tsc\"}") == 1);
  // The files are read on every scrape, the listing is kept.
  t.Write("sys/devices/system/clocksource/clocksource0/current_clocksource",
          "hpet\n");
  m = test::Collect(c);
  CHECK(m.count(current0 + "\"tsc\"}") == 0);
  CHECK(m.at(current0 + "\"hpet\"}") == 1);
  // A clocksource that went away drops its series, not the others'.
  t.Remove("sys/devices/system/clocksource/clocksource1/current_clocksource");
  t.Remove("sys/devices/system/clocksource/clocksource1/available_clocksource");
  t.Remove("sys/devices/system/clocksource/clocksource1");
  for (int i = 0; i < 2; ++i) {
    m = test::Collect(c);
    CHECK(m.size() == 2 + 2 + 1);
    CHECK(m.at(current0 + "\"hpet\"}") == 1);
  }
}

TEST_SUITE_END();
