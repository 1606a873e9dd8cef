#include "timex_collector.h"

#include <cerrno>
#include <system_error>

namespace node_health {
namespace {

constexpr double kNanoseconds = 1e9;
constexpr double kMicroseconds = 1e6;
// freq, ppsfreq and stabil are in ppm with a 16 bit binary fraction
// (adjtimex(2) NOTES).
constexpr double kPpm16Frac = 1e6 * 65536.0;

using common::MetricType;

}  // namespace

TimexValues TimexToValues(const struct timex& tx, int state) {
  // With STA_NANO the kernel reports offset and jitter in ns, else in us.
  double divisor = (tx.status & STA_NANO) != 0 ? kNanoseconds : kMicroseconds;
  TimexValues v;
  v.sync_status = state == TIME_ERROR ? 0 : 1;
  v.offset_seconds = static_cast<double>(tx.offset) / divisor;
  v.frequency_adjustment_ratio = 1 + static_cast<double>(tx.freq) / kPpm16Frac;
  v.maxerror_seconds = static_cast<double>(tx.maxerror) / kMicroseconds;
  v.estimated_error_seconds = static_cast<double>(tx.esterror) / kMicroseconds;
  v.status = tx.status;
  v.loop_time_constant = static_cast<double>(tx.constant);
  v.tick_seconds = static_cast<double>(tx.tick) / kMicroseconds;
  v.pps_frequency_hertz = static_cast<double>(tx.ppsfreq) / kPpm16Frac;
  v.pps_jitter_seconds = static_cast<double>(tx.jitter) / divisor;
  v.pps_shift_seconds = tx.shift;
  v.pps_stability_hertz = static_cast<double>(tx.stabil) / kPpm16Frac;
  v.pps_jitter_total = static_cast<double>(tx.jitcnt);
  v.pps_calibration_total = static_cast<double>(tx.calcnt);
  v.pps_error_total = static_cast<double>(tx.errcnt);
  v.pps_stability_exceeded_total = static_cast<double>(tx.stbcnt);
  v.tai_offset_seconds = tx.tai;
  return v;
}

TimexCollector::TimexCollector()
    : sync_status_(
          "node_timex_sync_status",
          "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
          MetricType::kGauge),
      offset_("node_timex_offset_seconds",
              "Time offset in between local system and reference clock.",
              MetricType::kGauge),
      freq_("node_timex_frequency_adjustment_ratio",
            "Local clock frequency adjustment.", MetricType::kGauge),
      maxerror_("node_timex_maxerror_seconds", "Maximum error in seconds.",
                MetricType::kGauge),
      esterror_("node_timex_estimated_error_seconds",
                "Estimated error in seconds.", MetricType::kGauge),
      status_("node_timex_status", "Value of the status array bits.",
              MetricType::kGauge),
      constant_("node_timex_loop_time_constant",
                "Phase-locked loop time constant.", MetricType::kGauge),
      tick_("node_timex_tick_seconds", "Seconds between clock ticks.",
            MetricType::kGauge),
      ppsfreq_("node_timex_pps_frequency_hertz", "Pulse per second frequency.",
               MetricType::kGauge),
      jitter_("node_timex_pps_jitter_seconds", "Pulse per second jitter.",
              MetricType::kGauge),
      shift_("node_timex_pps_shift_seconds",
             "Pulse per second interval duration.", MetricType::kGauge),
      stabil_(
          "node_timex_pps_stability_hertz",
          "Pulse per second stability, average of recent frequency changes.",
          MetricType::kGauge),
      jitcnt_("node_timex_pps_jitter_total",
              "Pulse per second count of jitter limit exceeded events.",
              MetricType::kCounter),
      calcnt_("node_timex_pps_calibration_total",
              "Pulse per second count of calibration intervals.",
              MetricType::kCounter),
      errcnt_("node_timex_pps_error_total",
              "Pulse per second count of calibration errors.",
              MetricType::kCounter),
      stbcnt_("node_timex_pps_stability_exceeded_total",
              "Pulse per second count of stability limit exceeded events.",
              MetricType::kCounter),
      tai_("node_timex_tai_offset_seconds",
           "International Atomic Time (TAI) offset.", MetricType::kGauge) {}

void TimexCollector::Update(common::MetricSink& sink) {
  struct timex tx {};
  tx.modes = 0;
  int state = ::adjtimex(&tx);
  if (state == -1) {
    if (errno == EPERM) throw common::NoDataError("adjtimex: not permitted");
    throw std::system_error(errno, std::generic_category(), "adjtimex");
  }
  TimexValues v = TimexToValues(tx, state);
  sink.Add(sync_status_, v.sync_status);
  sink.Add(offset_, v.offset_seconds);
  sink.Add(freq_, v.frequency_adjustment_ratio);
  sink.Add(maxerror_, v.maxerror_seconds);
  sink.Add(esterror_, v.estimated_error_seconds);
  sink.Add(status_, v.status);
  sink.Add(constant_, v.loop_time_constant);
  sink.Add(tick_, v.tick_seconds);
  sink.Add(ppsfreq_, v.pps_frequency_hertz);
  sink.Add(jitter_, v.pps_jitter_seconds);
  sink.Add(shift_, v.pps_shift_seconds);
  sink.Add(stabil_, v.pps_stability_hertz);
  sink.Add(jitcnt_, v.pps_jitter_total);
  sink.Add(calcnt_, v.pps_calibration_total);
  sink.Add(errcnt_, v.pps_error_total);
  sink.Add(stbcnt_, v.pps_stability_exceeded_total);
  sink.Add(tai_, v.tai_offset_seconds);
}

common::CollectorSpec TimexSpec() {
  return {.name = "timex",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext&) {
            return std::make_unique<TimexCollector>();
          }};
}

}  // namespace node_health
