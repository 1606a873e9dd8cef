#include "hwmon_collector.h"

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::hwmon");

namespace {

// name{sensor} -> value of HwmonSensorSamples, for compact assertions.
std::map<std::string, double> Samples(
    std::string_view sensor, const std::map<std::string, std::string>& attrs) {
  std::map<std::string, double> out;
  for (const auto& s : node_health::HwmonSensorSamples(sensor, attrs)) {
    out[s.name + "{" + s.sensor + "}"] = s.value;
  }
  return out;
}

}  // namespace

TEST_CASE("ExplodeHwmonFilename splits type, number and property") {
  auto f = node_health::ExplodeHwmonFilename("temp1_crit_alarm");
  REQUIRE(f.has_value());
  CHECK(f->type == "temp");
  CHECK(f->num == 1);
  CHECK(f->property == "crit_alarm");

  f = node_health::ExplodeHwmonFilename("in10_input");
  REQUIRE(f.has_value());
  CHECK(f->type == "in");
  CHECK(f->num == 10);
  CHECK(f->property == "input");

  f = node_health::ExplodeHwmonFilename("beep_enable");
  REQUIRE(f.has_value());
  CHECK(f->type == "beep_enable");
  CHECK(f->num == 0);
  CHECK(f->property.empty());

  f = node_health::ExplodeHwmonFilename("pwm1");
  REQUIRE(f.has_value());
  CHECK(f->type == "pwm");
  CHECK(f->num == 1);
  CHECK(f->property.empty());

  f = node_health::ExplodeHwmonFilename("temp01_input");
  REQUIRE(f.has_value());
  CHECK(f->num == 1);

  // The regex backtracks to a shorter type when the greedy split fails.
  f = node_health::ExplodeHwmonFilename("a_b1x");
  REQUIRE(f.has_value());
  CHECK(f->type == "a");
  CHECK(f->property == "b1x");

  CHECK_FALSE(node_health::ExplodeHwmonFilename("1abc").has_value());
  CHECK_FALSE(node_health::ExplodeHwmonFilename("temp1x").has_value());
  CHECK_FALSE(node_health::ExplodeHwmonFilename("temp1_").has_value());
  CHECK_FALSE(node_health::ExplodeHwmonFilename("").has_value());
  CHECK_FALSE(
      node_health::ExplodeHwmonFilename("temp99999999999999999999_input")
          .has_value());
}

TEST_CASE("CleanHwmonName") {
  CHECK(node_health::CleanHwmonName("coretemp.0") == "coretemp_0");
  CHECK(node_health::CleanHwmonName("Package id 0\n") == "package_id_0");
  CHECK(node_health::CleanHwmonName("LNXSYBUS:00") == "lnxsybus:00");
  CHECK(node_health::CleanHwmonName("__x__") == "x");
  CHECK(node_health::CleanHwmonName("caf\xc3\xa9!") == "caf");
  CHECK(node_health::CleanHwmonName("a\xc3\xa9z") == "a_z");
  CHECK(node_health::CleanHwmonName("\n").empty());
}

TEST_CASE(
    "HwmonChipName prefers the device path, then the name file, then the "
    "directory") {
  CHECK(node_health::HwmonChipName(
            "/sys/devices/platform/coretemp.0", std::string("coretemp\n"),
            "/sys/devices/platform/coretemp.0/hwmon/hwmon0") ==
        "platform_coretemp_0");
  CHECK(node_health::HwmonChipName("/sys/devices/pci0000:00/0000:00:18.3",
                                   std::string("k10temp\n"),
                                   "/x/hwmon1") == "pci0000:00_0000:00:18_3");
  CHECK(node_health::HwmonChipName("", std::string("acpitz\n"),
                                   "/sys/devices/virtual/hwmon/hwmon3") ==
        "acpitz");
  CHECK(node_health::HwmonChipName("", std::string("\n"),
                                   "/sys/devices/virtual/hwmon/hwmon3") ==
        "hwmon3");
  CHECK(node_health::HwmonChipName(
            "", std::nullopt, "/sys/devices/virtual/hwmon/hwmon7") == "hwmon7");
  CHECK(node_health::HwmonChipName("/", std::nullopt, "/") == "");
}

TEST_CASE("HwmonSensorSamples names and scales every sensor type") {
  auto temp = Samples("temp1", {{"input", "46500"},
                                {"max", "84000"},
                                {"crit", "100000"},
                                {"crit_alarm", "0"},
                                {"label", "Core 0"},
                                {"type", "4"},
                                {"fault", "1"},
                                {"beep", "1"}});
  CHECK(temp.at("node_hwmon_temp_celsius{temp1}") == doctest::Approx(46.5));
  CHECK(temp.at("node_hwmon_temp_max_celsius{temp1}") == 84);
  CHECK(temp.at("node_hwmon_temp_crit_celsius{temp1}") == 100);
  CHECK(temp.at("node_hwmon_temp_crit_alarm_celsius{temp1}") == 0);
  CHECK(temp.at("node_hwmon_temp_type{temp1}") == 4);
  CHECK(temp.at("node_hwmon_temp_fault{temp1}") == 1);
  CHECK(temp.at("node_hwmon_temp_beep_enabled{temp1}") == 1);
  CHECK(temp.size() == 7);

  // A bare "temp1" file is the value; "temp1_input" then gets its own name.
  auto bare = Samples("temp1", {{"", "30000"}, {"input", "31000"}});
  CHECK(bare.at("node_hwmon_temp_celsius{temp1}") == 30);
  CHECK(bare.at("node_hwmon_temp_input_celsius{temp1}") == 31);

  auto in = Samples(
      "in0",
      {{"input", "1016"}, {"min", "0"}, {"max", "1744"}, {"alarm", "0"}});
  CHECK(in.at("node_hwmon_in_volts{in0}") == doctest::Approx(1.016));
  CHECK(in.at("node_hwmon_in_min_volts{in0}") == 0);
  CHECK(in.at("node_hwmon_in_max_volts{in0}") == doctest::Approx(1.744));
  CHECK(in.at("node_hwmon_in_alarm{in0}") == 0);

  auto cpu = Samples("cpu0", {{"vid", "1200"}});
  CHECK(cpu.at("node_hwmon_cpu_vid_volts{cpu0}") == doctest::Approx(1.2));

  auto curr = Samples("curr1", {{"input", "2500"}, {"max", "8000"}});
  CHECK(curr.at("node_hwmon_curr_amps{curr1}") == doctest::Approx(2.5));
  CHECK(curr.at("node_hwmon_curr_max_amps{curr1}") == 8);

  auto power = Samples("power1", {{"average", "145000000"},
                                  {"input", "150500000"},
                                  {"cap", "200000000"},
                                  {"accuracy", "95000"},
                                  {"average_interval", "1000"},
                                  {"average_interval_max", "5000"}});
  CHECK(power.at("node_hwmon_power_average_watt{power1}") == 145);
  CHECK(power.at("node_hwmon_power_watt{power1}") == doctest::Approx(150.5));
  CHECK(power.at("node_hwmon_power_cap_watt{power1}") == 200);
  CHECK(power.at("node_hwmon_power_accuracy{power1}") ==
        doctest::Approx(0.095));
  CHECK(power.at("node_hwmon_power_average_interval_seconds{power1}") == 1);
  CHECK(power.at("node_hwmon_power_average_interval_max_seconds{power1}") == 5);

  auto energy =
      node_health::HwmonSensorSamples("energy1", {{"input", "123456789000"}});
  REQUIRE(energy.size() == 1);
  CHECK(energy[0].name == "node_hwmon_energy_joule_total");
  CHECK(energy[0].type == common::MetricType::kCounter);
  CHECK(energy[0].value == doctest::Approx(123456.789));
  CHECK(energy[0].help == "Hardware monitor for joules used so far (input)");

  auto humidity = Samples("humidity1", {{"input", "45200"}});
  CHECK(humidity.at("node_hwmon_humidity{humidity1}") ==
        doctest::Approx(0.0452));

  auto fan = Samples("fan1", {{"input", "1095"},
                              {"min", "300"},
                              {"max", "3000"},
                              {"target", "1100"},
                              {"alarm", "0"},
                              {"pulses", "2"}});
  CHECK(fan.at("node_hwmon_fan_rpm{fan1}") == 1095);
  CHECK(fan.at("node_hwmon_fan_min_rpm{fan1}") == 300);
  CHECK(fan.at("node_hwmon_fan_max_rpm{fan1}") == 3000);
  CHECK(fan.at("node_hwmon_fan_target_rpm{fan1}") == 1100);
  CHECK(fan.at("node_hwmon_fan_alarm{fan1}") == 0);
  CHECK(fan.at("node_hwmon_fan_pulses{fan1}") == 2);

  auto pwm = Samples("pwm1", {{"", "128"}, {"enable", "5"}});
  CHECK(pwm.at("node_hwmon_pwm{pwm1}") == 128);
  CHECK(pwm.at("node_hwmon_pwm_enable{pwm1}") == 5);

  auto freq = Samples("freq1", {{"input", "1800000000"}, {"label", "sclk"}});
  CHECK(freq.at("node_hwmon_freq_freq_mhz{sclk}") == 1800);
  CHECK(Samples("freq1", {{"input", "1800000000"}}).empty());

  CHECK(Samples("beep_enable0", {{"", "1"}})
            .at("node_hwmon_beep_enabled{beep_enable0}") == 1);
  CHECK(Samples("beep_enable0", {{"", "0"}})
            .at("node_hwmon_beep_enabled{beep_enable0}") == 0);
  CHECK(Samples("vrm0", {{"", "12.1"}})
            .at("node_hwmon_voltage_regulator_version{vrm0}") ==
        doctest::Approx(12.1));
  CHECK(Samples("update_interval0", {{"", "2000"}})
            .at("node_hwmon_update_interval_seconds{update_interval0}") == 2);
  CHECK(Samples("vrm0", {{"", "n/a"}}).empty());
}

TEST_CASE("HwmonSensorSamples skips values that are not numbers") {
  auto s = Samples("temp1",
                   {{"input", "N/A"}, {"max", "84000 "}, {"crit", "100000"}});
  CHECK(s.size() == 1);
  CHECK(s.at("node_hwmon_temp_crit_celsius{temp1}") == 100);
  auto help = node_health::HwmonSensorSamples("temp1", {{"input", "1000"}});
  REQUIRE(help.size() == 1);
  CHECK(help[0].help == "Hardware monitor for temperature (input)");
}

TEST_CASE("HwmonCollector on the fixture tree") {
  node_health::HwmonCollector c(test::FixturePaths(), {});
  auto m = test::Collect(c);
  const std::string core = "chip=\"platform_coretemp_0\",sensor=";
  CHECK(m.at("node_hwmon_chip_names{chip=\"platform_coretemp_0\",chip_name="
             "\"coretemp\"}") == 1);
  CHECK(m.at("node_hwmon_temp_celsius{" + core + "\"temp1\"}") == 46);
  CHECK(m.at("node_hwmon_temp_max_celsius{" + core + "\"temp1\"}") == 84);
  CHECK(m.at("node_hwmon_temp_crit_celsius{" + core + "\"temp1\"}") == 100);
  CHECK(m.at("node_hwmon_temp_crit_alarm_celsius{" + core + "\"temp1\"}") == 0);
  CHECK(m.at("node_hwmon_temp_celsius{" + core + "\"temp2\"}") == 44);
  CHECK(m.at("node_hwmon_sensor_label{" + core +
             "\"temp1\",label=\"Package id 0\"}") == 1);
  CHECK(m.at("node_hwmon_sensor_label{" + core +
             "\"temp2\",label=\"Core 0\"}") == 1);

  const std::string nct = "chip=\"platform_nct6775_656\",sensor=";
  CHECK(m.at("node_hwmon_chip_names{chip=\"platform_nct6775_656\",chip_name="
             "\"nct6798\"}") == 1);
  CHECK(m.at("node_hwmon_fan_rpm{" + nct + "\"fan1\"}") == 1095);
  CHECK(m.at("node_hwmon_fan_min_rpm{" + nct + "\"fan1\"}") == 300);
  CHECK(m.at("node_hwmon_fan_alarm{" + nct + "\"fan1\"}") == 0);
  CHECK(m.at("node_hwmon_fan_beep_enabled{" + nct + "\"fan1\"}") == 0);
  CHECK(m.at("node_hwmon_fan_pulses{" + nct + "\"fan1\"}") == 7);
  CHECK(m.at("node_hwmon_in_volts{" + nct + "\"in0\"}") ==
        doctest::Approx(1.016));
  CHECK(m.at("node_hwmon_in_max_volts{" + nct + "\"in0\"}") ==
        doctest::Approx(1.744));
  CHECK(m.at("node_hwmon_in_min_volts{" + nct + "\"in0\"}") == 0);
  CHECK(m.at("node_hwmon_in_alarm{" + nct + "\"in0\"}") == 0);
  CHECK(m.at("node_hwmon_temp_celsius{" + nct + "\"temp1\"}") == 32);
  CHECK(m.at("node_hwmon_temp_type{" + nct + "\"temp1\"}") == 4);
  CHECK(m.at("node_hwmon_sensor_label{" + nct +
             "\"temp1\",label=\"SYSTIN\"}") == 1);
  CHECK(m.at("node_hwmon_pwm{" + nct + "\"pwm1\"}") == 128);
  CHECK(m.at("node_hwmon_pwm_enable{" + nct + "\"pwm1\"}") == 5);
  CHECK(m.at("node_hwmon_intrusion_alarm{" + nct + "\"intrusion0\"}") == 1);

  const std::string acpi = "chip=\"lnxsybus:00_acpi000d:00\",sensor=";
  CHECK(m.at("node_hwmon_chip_names{chip=\"lnxsybus:00_acpi000d:00\","
             "chip_name=\"power_meter\"}") == 1);
  CHECK(m.at("node_hwmon_power_average_watt{" + acpi + "\"power1\"}") == 145);
  CHECK(m.at("node_hwmon_power_accuracy{" + acpi + "\"power1\"}") ==
        doctest::Approx(0.095));
  CHECK(m.at("node_hwmon_power_average_interval_seconds{" + acpi +
             "\"power1\"}") == 1);
  // Any other power attribute gets the watt unit, as in node_exporter.
  CHECK(m.at("node_hwmon_power_is_battery_watt{" + acpi + "\"power1\"}") == 0);

  CHECK(m.at("node_hwmon_chip_names{chip=\"acpitz\",chip_name=\"acpitz\"}") ==
        1);
  CHECK(m.at("node_hwmon_temp_celsius{chip=\"acpitz\",sensor=\"temp1\"}") ==
        doctest::Approx(27.8));
  CHECK(
      m.at("node_hwmon_temp_crit_celsius{chip=\"acpitz\",sensor=\"temp1\"}") ==
      119);

  // The device directory's "power" subdirectory is not a power sensor.
  for (const auto& [series, value] : m) {
    CHECK_MESSAGE(series.find("sensor=\"power0\"") == std::string::npos,
                  series);
  }
  // 11 coretemp, 16 nct6798, 5 power meter and 3 acpitz series.
  CHECK(m.size() == 35);
}

TEST_CASE("HwmonCollector HELP and TYPE follow node_exporter") {
  node_health::HwmonCollector c(test::FixturePaths(), {});
  std::string text = test::Render(c);
  CHECK(text.find("# HELP node_hwmon_temp_celsius Hardware monitor for "
                  "temperature (input)\n"
                  "# TYPE node_hwmon_temp_celsius gauge\n") !=
        std::string::npos);
  CHECK(text.find("# HELP node_hwmon_fan_rpm Hardware monitor for fan "
                  "revolutions per minute "
                  "(input)\n") != std::string::npos);
  CHECK(text.find("# HELP node_hwmon_chip_names Annotation metric for "
                  "human-readable chip "
                  "names\n") != std::string::npos);
}

TEST_CASE("HwmonCollector chip and sensor filters") {
  node_health::HwmonOptions opts;
  opts.chip_include = "^platform_coretemp_0$";
  node_health::HwmonCollector chips(test::FixturePaths(), opts);
  auto m = test::Collect(chips);
  CHECK(m.size() == 11);
  CHECK(m.count("node_hwmon_temp_celsius{chip=\"acpitz\",sensor=\"temp1\"}") ==
        0);

  opts = {};
  opts.sensor_exclude = "^platform_coretemp_0;temp2$|^platform_nct6775_656;";
  node_health::HwmonCollector sensors(test::FixturePaths(), opts);
  m = test::Collect(sensors);
  CHECK(m.count("node_hwmon_temp_celsius{chip=\"platform_coretemp_0\",sensor="
                "\"temp1\"}") == 1);
  CHECK(m.count("node_hwmon_temp_celsius{chip=\"platform_coretemp_0\",sensor="
                "\"temp2\"}") == 0);
  CHECK(m.count("node_hwmon_fan_rpm{chip=\"platform_nct6775_656\",sensor="
                "\"fan1\"}") == 0);
  // The chip annotation stays: only sensors are filtered.
  CHECK(m.count("node_hwmon_chip_names{chip=\"platform_nct6775_656\",chip_name="
                "\"nct6798\"}") == 1);

  opts.sensor_include = "x";
  CHECK_THROWS_AS(node_health::HwmonCollector(test::FixturePaths(), opts),
                  std::invalid_argument);
}

TEST_CASE("HwmonCollector without /sys/class/hwmon reports no data") {
  auto paths = test::FixturePaths();
  paths.sysfs += "/does-not-exist";
  node_health::HwmonCollector c(paths, {});
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);
}

TEST_SUITE_END();
