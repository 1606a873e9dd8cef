#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"

namespace node_health {

// The columns of /proc/net/stat/nf_conntrack that are exported, in the order
// of ConntrackStats.
inline constexpr std::array<std::string_view, 8> kConntrackStatColumns = {
    "found",         "invalid", "ignore",     "insert",
    "insert_failed", "drop",    "early_drop", "search_restart"};

// Per kConntrackStatColumns entry, the sum over all CPUs; empty if the
// kernel's header has no such column.
using ConntrackStats =
    std::array<std::optional<double>, kConntrackStatColumns.size()>;

// Parses /proc/net/stat/nf_conntrack: a header line naming the columns, then
// one line of hexadecimal counters per CPU, which are summed. Throws
// common::ParseError on an empty text, a row whose width differs from the
// header's, or a field that is not hexadecimal.
ConntrackStats ParseConntrackStat(std::string_view text);

// node_nf_conntrack_entries and node_nf_conntrack_entries_limit from
// /proc/sys/net/netfilter, plus node_nf_conntrack_stat_* summed over CPUs
// from /proc/net/stat/nf_conntrack when that file exists. Throws
// common::NoDataError when conntrack is not loaded.
class ConntrackCollector : public common::Collector {
 public:
  explicit ConntrackCollector(const common::Paths& paths);
  void Update(common::MetricSink& sink) override;

 private:
  std::string count_path_, max_path_, stat_path_;
  common::Desc entries_, entries_limit_;
  std::vector<common::Desc> stats_;  // per kConntrackStatColumns entry
};

// The spec of the conntrack collector (enabled by default).
common::CollectorSpec ConntrackSpec();

}  // namespace node_health
