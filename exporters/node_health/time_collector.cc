#include "time_collector.h"

#include <filesystem>
#include <system_error>

#include "common/file_util.h"
#include "common/log.h"

namespace node_health {

ZoneOffset LocalZoneAt(std::time_t t) {
  struct tm tm;
  if (::localtime_r(&t, &tm) == nullptr) return {"UTC", 0};
  return {tm.tm_zone ? tm.tm_zone : "", tm.tm_gmtoff};
}

std::vector<std::string_view> ParseAvailableClocksources(
    std::string_view text) {
  return common::SplitFields(common::Trim(text));
}

TimeCollector::TimeCollector(const common::Paths& paths)
    : clocksource_dir_(paths.Sys("devices/system/clocksource")),
      now_("node_time_seconds", "System time in seconds since epoch (1970).",
           common::MetricType::kGauge),
      zone_("node_time_zone_offset_seconds",
            "System time zone offset in seconds.", common::MetricType::kGauge,
            {"time_zone"}),
      available_(
          "node_time_clocksource_available_info",
          "Available clocksources read from '/sys/devices/system/clocksource'.",
          common::MetricType::kGauge, {"device", "clocksource"}),
      current_(
          "node_time_clocksource_current_info",
          "Current clocksource read from '/sys/devices/system/clocksource'.",
          common::MetricType::kGauge, {"device", "clocksource"}) {}

void TimeCollector::Update(common::MetricSink& sink) {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  sink.Add(now_, static_cast<double>(ts.tv_sec) +
                     static_cast<double>(ts.tv_nsec) / 1e9);
  ZoneOffset zone = LocalZoneAt(ts.tv_sec);
  sink.Add(zone_, static_cast<double>(zone.offset_seconds), {zone.name});

  for (const Clocksource& cs : Clocksources()) {
    // An unreadable clocksource must not cost node_time_seconds, which the
    // clock alerts need: log it, list the directory again next time, go on.
    try {
      std::string available =
          common::ReadFile(cs.dir + "/available_clocksource");
      std::string current =
          common::ReadTrimmed(cs.dir + "/current_clocksource");
      for (std::string_view name : ParseAvailableClocksources(available)) {
        sink.Add(available_, 1.0, {cs.device, name});
      }
      if (!current.empty()) sink.Add(current_, 1.0, {cs.device, current});
    } catch (const common::FileError& e) {
      common::log::Warn("cannot read clocksource",
                        {{"collector", "time"}, {"err", e.what()}});
      std::lock_guard lock(mu_);
      listed_.reset();
    }
  }
}

std::vector<TimeCollector::Clocksource> TimeCollector::Clocksources() {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (listed_ && now - *listed_ < kRelist) return clocksources_;
  clocksources_.clear();
  listed_.reset();
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(clocksource_dir_, ec);
  if (ec) {
    // No clocksource directory: look again in a minute. Another error
    // (not readable): on the next scrape.
    if (ec == std::errc::no_such_file_or_directory) listed_ = now;
    return {};
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string_view device(name);
    if (!common::ConsumePrefix(device, "clocksource") || device.empty())
      continue;
    uint64_t unused;
    if (!common::TryParseUint64(device, unused)) continue;
    clocksources_.push_back({std::string(device), it->path().string()});
  }
  if (ec) return {};  // listing broke off: again on the next scrape
  listed_ = now;
  return clocksources_;
}

common::CollectorSpec TimeSpec() {
  return {.name = "time",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<TimeCollector>(ctx.paths);
          }};
}

}  // namespace node_health
