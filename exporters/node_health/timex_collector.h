#pragma once

#include <sys/timex.h>

#include "common/collector.h"

namespace node_health {

// The kernel clock state of one adjtimex(2) call, in base units.
struct TimexValues {
  double sync_status = 0;     // 1 unless the call returned TIME_ERROR
  double offset_seconds = 0;  // ns or us per STA_NANO
  double frequency_adjustment_ratio = 0;  // 1 + freq (scaled ppm) / 1e6
  double maxerror_seconds = 0;
  double estimated_error_seconds = 0;
  double status = 0;  // STA_* bits
  double loop_time_constant = 0;
  double tick_seconds = 0;
  double pps_frequency_hertz = 0;
  double pps_jitter_seconds = 0;
  double pps_shift_seconds = 0;
  double pps_stability_hertz = 0;
  double pps_jitter_total = 0;
  double pps_calibration_total = 0;
  double pps_error_total = 0;
  double pps_stability_exceeded_total = 0;
  double tai_offset_seconds = 0;
};

// Converts adjtimex(2)'s answer (`tx` and the clock state it returned) to
// base units as node_exporter does.
TimexValues TimexToValues(const struct timex& tx, int state);

// node_timex_* from adjtimex(2) with modes 0, which reads the clock state
// without changing it.
class TimexCollector : public common::Collector {
 public:
  TimexCollector();
  // Throws common::NoDataError when the call is not permitted (a seccomp
  // profile), std::system_error on any other failure.
  void Update(common::MetricSink& sink) override;

 private:
  common::Desc sync_status_, offset_, freq_, maxerror_, esterror_, status_,
      constant_, tick_, ppsfreq_, jitter_, shift_, stabil_, jitcnt_, calcnt_,
      errcnt_, stbcnt_, tai_;
};

// The spec of the timex collector (enabled by default).
common::CollectorSpec TimexSpec();

}  // namespace node_health
