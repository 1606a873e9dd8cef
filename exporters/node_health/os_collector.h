#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/collector.h"

namespace node_health {

// Parses os-release(5) text: KEY=value assignments in shell syntax (double
// quotes with \" \\ \$ \` escapes, single quotes, backslash escapes outside
// quotes, an optional "export"), comments and blank lines. Throws
// common::ParseError naming the line on an assignment that is not
// well-formed or a quote that is not closed.
std::map<std::string, std::string> ParseOsRelease(std::string_view text);

// The major.minor number at the start of VERSION_ID ("22.04.3" -> 22.04,
// "12" -> 12), or std::nullopt if it does not start with a digit.
std::optional<double> ParseOsVersion(std::string_view version_id);

// Parses a SUPPORT_END date "YYYY-MM-DD" into seconds since the epoch at
// midnight UTC. Throws common::ParseError.
double ParseSupportEnd(std::string_view date);

// node_os_info, node_os_version and node_os_support_end_timestamp_seconds
// from /etc/os-release, or /usr/lib/os-release, under --path.rootfs.
class OsCollector : public common::Collector {
 public:
  explicit OsCollector(const common::Paths& paths);
  // Throws common::NoDataError when neither file exists, common::ParseError
  // on malformed content.
  void Update(common::MetricSink& sink) override;

 private:
  // The parsed os-release, re-read only when the file changes. Throws as
  // Update.
  std::shared_ptr<const std::map<std::string, std::string>> Release();

  std::string etc_path_, usr_lib_path_;
  common::Desc info_, version_, support_end_;
  std::mutex mu_;  // guards the cache below
  std::shared_ptr<const std::map<std::string, std::string>> cached_;
  std::string cached_path_;
  int64_t cached_mtime_ns_ = 0;
  uint64_t cached_ino_ = 0;
  int64_t cached_size_ = 0;
};

// The spec of the os collector (enabled by default).
common::CollectorSpec OsSpec();

}  // namespace node_health
