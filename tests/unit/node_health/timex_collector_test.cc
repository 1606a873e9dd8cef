#include "timex_collector.h"

#include <doctest/doctest.h>

#include "test_util.h"

TEST_SUITE_BEGIN("node_health::timex");

namespace {
struct timex SampleTimex(int status) {
  struct timex tx {};
  tx.offset = -1500;
  tx.freq = 655360;  // 10 ppm
  tx.maxerror = 16000;
  tx.esterror = 250;
  tx.status = status;
  tx.constant = 7;
  tx.tick = 10000;
  tx.ppsfreq = -327680;  // -5 ppm
  tx.jitter = 2000;
  tx.shift = 4;
  tx.stabil = 65536;  // 1 ppm
  tx.jitcnt = 1;
  tx.calcnt = 2;
  tx.errcnt = 3;
  tx.stbcnt = 4;
  tx.tai = 37;
  return tx;
}
}  // namespace

TEST_CASE("TimexToValues in microsecond mode") {
  auto v = node_health::TimexToValues(SampleTimex(STA_PLL), TIME_OK);
  CHECK(v.sync_status == 1);
  CHECK(v.offset_seconds == doctest::Approx(-0.0015));
  CHECK(v.frequency_adjustment_ratio == doctest::Approx(1.00001));
  CHECK(v.maxerror_seconds == doctest::Approx(0.016));
  CHECK(v.estimated_error_seconds == doctest::Approx(0.00025));
  CHECK(v.status == STA_PLL);
  CHECK(v.loop_time_constant == 7);
  CHECK(v.tick_seconds == doctest::Approx(0.01));
  CHECK(v.pps_frequency_hertz == doctest::Approx(-5e-6));
  CHECK(v.pps_jitter_seconds == doctest::Approx(0.002));
  CHECK(v.pps_shift_seconds == 4);
  CHECK(v.pps_stability_hertz == doctest::Approx(1e-6));
  CHECK(v.pps_jitter_total == 1);
  CHECK(v.pps_calibration_total == 2);
  CHECK(v.pps_error_total == 3);
  CHECK(v.pps_stability_exceeded_total == 4);
  CHECK(v.tai_offset_seconds == 37);
}

TEST_CASE("TimexToValues in nanosecond mode and unsynchronised") {
  auto v = node_health::TimexToValues(
      SampleTimex(STA_PLL | STA_NANO | STA_UNSYNC), TIME_ERROR);
  CHECK(v.sync_status == 0);
  CHECK(v.offset_seconds == doctest::Approx(-1.5e-6));
  CHECK(v.pps_jitter_seconds == doctest::Approx(2e-6));
  // maxerror, esterror and tick stay in microseconds whatever STA_NANO says.
  CHECK(v.maxerror_seconds == doctest::Approx(0.016));
  CHECK(v.tick_seconds == doctest::Approx(0.01));
  CHECK(v.status == (STA_PLL | STA_NANO | STA_UNSYNC));
}

TEST_CASE("TimexCollector reads the live clock") {
  node_health::TimexCollector c;
  std::map<std::string, double> m;
  try {
    m = test::Collect(c);
  } catch (const common::NoDataError&) {
    MESSAGE("adjtimex not permitted here");
    return;
  }
  CHECK(m.size() == 17);
  CHECK((m.at("node_timex_sync_status") == 0 ||
         m.at("node_timex_sync_status") == 1));
  CHECK(m.at("node_timex_tick_seconds") > 0);
  CHECK(m.at("node_timex_frequency_adjustment_ratio") ==
        doctest::Approx(1.0).epsilon(0.001));
  CHECK(m.count("node_timex_tai_offset_seconds") == 1);
}

TEST_SUITE_END();
