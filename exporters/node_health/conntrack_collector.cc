#include "conntrack_collector.h"

#include <charconv>

#include "common/file_util.h"

namespace node_health {
namespace {

constexpr std::string_view kStatHelp[kConntrackStatColumns.size()] = {
    "Number of searched entries which were successful.",
    "Number of packets seen which can not be tracked.",
    "Number of packets seen which are already connected to a conntrack entry.",
    "Number of entries inserted into the list.",
    "Number of entries for which list insertion was attempted but failed.",
    "Number of packets dropped due to conntrack failure.",
    "Number of dropped conntrack entries to make room for new ones, if "
    "maximum table size was reached.",
    "Number of conntrack table lookups which had to be restarted due to "
    "hashtable resizes.",
};

constexpr size_t kAbsent = static_cast<size_t>(-1);

uint64_t ParseHex(std::string_view s) {
  uint64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size()) {
    throw common::ParseError(
        "/proc/net/stat/nf_conntrack: expected a hexadecimal number, got " +
        common::Quote(s));
  }
  return v;
}

// Reads a one-number sysctl file, or nullopt when conntrack is not loaded.
std::optional<double> ReadSysctl(const std::string& path) {
  auto text = common::ReadOptionalFile(path);
  if (!text) return std::nullopt;
  return static_cast<double>(common::ParseUint64(common::Trim(*text), path));
}

}  // namespace

ConntrackStats ParseConntrackStat(std::string_view text) {
  std::array<size_t, kConntrackStatColumns.size()> index;
  index.fill(kAbsent);
  std::array<uint64_t, kConntrackStatColumns.size()> sums{};
  size_t width = 0;
  std::vector<std::string_view> f;
  common::ForEachLine(text, [&](std::string_view line) {
    common::SplitFieldsInto(line, f);
    if (f.empty()) return;
    if (width == 0) {
      // Column positions moved between kernels (4.x had "searched" where 6.x
      // has "clashres"), so find them by name.
      width = f.size();
      for (size_t c = 0; c < kConntrackStatColumns.size(); ++c) {
        for (size_t i = 0; i < f.size(); ++i) {
          if (f[i] == kConntrackStatColumns[c]) index[c] = i;
        }
      }
      return;
    }
    if (f.size() != width) {
      throw common::ParseError("/proc/net/stat/nf_conntrack: expected " +
                               std::to_string(width) + " columns, got " +
                               std::to_string(f.size()));
    }
    for (size_t c = 0; c < index.size(); ++c) {
      if (index[c] != kAbsent) sums[c] += ParseHex(f[index[c]]);
    }
  });
  if (width == 0) {
    throw common::ParseError("/proc/net/stat/nf_conntrack: no header line");
  }
  ConntrackStats stats;
  for (size_t c = 0; c < index.size(); ++c) {
    if (index[c] != kAbsent) stats[c] = static_cast<double>(sums[c]);
  }
  return stats;
}

ConntrackCollector::ConntrackCollector(const common::Paths& paths)
    : count_path_(paths.Proc("sys/net/netfilter/nf_conntrack_count")),
      max_path_(paths.Proc("sys/net/netfilter/nf_conntrack_max")),
      stat_path_(paths.Proc("net/stat/nf_conntrack")),
      entries_("node_nf_conntrack_entries",
               "Number of currently allocated flow entries for connection "
               "tracking.",
               common::MetricType::kGauge),
      entries_limit_("node_nf_conntrack_entries_limit",
                     "Maximum size of connection tracking table.",
                     common::MetricType::kGauge) {
  stats_.reserve(kConntrackStatColumns.size());
  for (size_t c = 0; c < kConntrackStatColumns.size(); ++c) {
    stats_.emplace_back(
        "node_nf_conntrack_stat_" + std::string(kConntrackStatColumns[c]),
        std::string(kStatHelp[c]), common::MetricType::kGauge);
  }
}

void ConntrackCollector::Update(common::MetricSink& sink) {
  auto count = ReadSysctl(count_path_);
  auto max = ReadSysctl(max_path_);
  if (!count || !max) {
    throw common::NoDataError("conntrack is not loaded (no " +
                              (count ? max_path_ : count_path_) + ")");
  }
  sink.Add(entries_, *count);
  sink.Add(entries_limit_, *max);
  if (auto text = common::ReadOptionalFile(stat_path_)) {
    ConntrackStats stats = ParseConntrackStat(*text);
    for (size_t c = 0; c < stats.size(); ++c) {
      if (stats[c]) sink.Add(stats_[c], *stats[c]);
    }
  }
}

common::CollectorSpec ConntrackSpec() {
  return {.name = "conntrack",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<ConntrackCollector>(ctx.paths);
          }};
}

}  // namespace node_health
