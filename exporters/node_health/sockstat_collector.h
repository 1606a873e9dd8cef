#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"
#include "common/desc_cache.h"

namespace node_health {

// One "key value" pair of a /proc/net/sockstat line such as
// "TCP: inuse 9 orphan 0 tw 19 alloc 47 mem 22".
struct SockstatValue {
  std::string_view protocol;  // "sockets", "TCP", "FRAG6", ...
  std::string_view key;       // "used", "inuse", "mem", ...
  double value = 0;
};

// Parses /proc/net/sockstat or /proc/net/sockstat6 into its pairs, in file
// order. Throws common::ParseError on a line without "<PROTO>:", a key
// without a value, or a non-number.
std::vector<SockstatValue> ParseSockstat(std::string_view text);

// node_sockstat_sockets_used and node_sockstat_<PROTO>_<key> gauges from
// /proc/net/sockstat and /proc/net/sockstat6 (optional), plus
// node_sockstat_<PROTO>_mem_bytes for each "mem" (pages) key. Throws
// common::NoDataError when neither file exists.
class SockstatCollector : public common::Collector {
 public:
  // `page_size` converts "mem" pages to bytes (sysconf(_SC_PAGESIZE) when 0).
  explicit SockstatCollector(const common::Paths& paths, long page_size = 0);
  void Update(common::MetricSink& sink) override;

 private:
  // Adds the samples of one file's pairs.
  void AddFile(common::MetricSink& sink, const std::string& path,
               std::string_view text, bool ipv6);
  // Returns the Desc of node_sockstat_<protocol>_<key>, built on first sight.
  // Throws common::ParseError if that is not a valid metric name.
  const common::Desc& DescOf(common::MetricSink& sink,
                             std::string_view protocol, std::string_view key);

  std::string v4_path_, v6_path_;
  double page_size_;
  common::Desc sockets_used_;
  common::DescCache descs_;  // "<PROTO>_<key>" -> Desc
};

// The spec of the sockstat collector (enabled by default).
common::CollectorSpec SockstatSpec();

}  // namespace node_health
