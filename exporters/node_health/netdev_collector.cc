#include "netdev_collector.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "common/file_util.h"

namespace node_health {

const std::array<std::string_view, kNetDevStats> kNetDevStatNames = {
    "receive_bytes",       "receive_packets",   "receive_errs",
    "receive_drop",        "receive_fifo",      "receive_frame",
    "receive_compressed",  "receive_multicast", "transmit_bytes",
    "transmit_packets",    "transmit_errs",     "transmit_drop",
    "transmit_fifo",       "transmit_colls",    "transmit_carrier",
    "transmit_compressed",
};

std::vector<NetDevLine> ParseNetDev(std::string_view text) {
  std::vector<NetDevLine> out;
  std::vector<std::string_view> f;
  size_t line_no = 0;
  size_t headers = 0;
  common::ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    // The two header lines are the only ones with '|'.
    if (line.find('|') != std::string_view::npos) {
      ++headers;
      return;
    }
    if (common::Trim(line).empty()) return;
    std::string where = "net/dev: line " + std::to_string(line_no);
    // The kernel prints "%6s:" and then the numbers, so the name ends at the
    // last ':' of the line.
    size_t colon = line.rfind(':');
    if (colon == std::string_view::npos) {
      throw common::ParseError(where + ": expected \"<interface>:\"");
    }
    NetDevLine d;
    d.device = common::Trim(line.substr(0, colon));
    if (d.device.empty())
      throw common::ParseError(where + ": empty interface name");
    common::SplitFieldsInto(line.substr(colon + 1), f);
    if (f.size() < kNetDevStats) {
      throw common::ParseError(where + ": expected " +
                               std::to_string(kNetDevStats) +
                               " counters, got " + std::to_string(f.size()));
    }
    for (size_t i = 0; i < kNetDevStats; ++i)
      d.stats[i] = common::ParseUint64(f[i], where);
    out.push_back(d);
  });
  // The kernel always writes two header lines, even with no interfaces: a
  // file without them is truncated or not /proc/net/dev.
  if (headers < 2)
    throw common::ParseError("net/dev: missing the two header lines");
  return out;
}

NetDevCollector::NetDevCollector(const common::Paths& paths,
                                 const NetDevOptions& options)
    : path_(paths.Proc("net/dev")),
      filter_(options.device_include, options.device_exclude,
              "--collector.netdev.device") {
  descs_.reserve(kNetDevStats);
  for (std::string_view stat : kNetDevStatNames) {
    std::string s(stat);
    descs_.emplace_back(
        "node_network_" + s + "_total", "Network device statistic " + s + ".",
        common::MetricType::kCounter, std::vector<std::string>{"device"});
  }
}

void NetDevCollector::Update(common::MetricSink& sink) {
  auto text = common::ReadOptionalFile(path_);
  if (!text) throw common::NoDataError(path_ + " does not exist");
  for (const NetDevLine& d : ParseNetDev(*text)) {
    if (!filter_.Allows(d.device)) continue;
    for (size_t i = 0; i < kNetDevStats; ++i) {
      sink.Add(descs_[i], static_cast<double>(d.stats[i]), {d.device});
    }
  }
}

common::CollectorSpec NetdevSpec() {
  auto opts = std::make_shared<NetDevOptions>();
  return {
      .name = "netdev",
      .enabled_by_default = true,
      .add_flags =
          [opts](CLI::App& app) {
            app.add_option(
                   "--collector.netdev.device-include", opts->device_include,
                   "Regexp of net devices to include (mutually exclusive to "
                   "device-exclude).")
                ->capture_default_str()
                ->group("Collector options");
            app.add_option(
                   "--collector.netdev.device-exclude", opts->device_exclude,
                   "Regexp of net devices to exclude (mutually exclusive to "
                   "device-include).")
                ->capture_default_str()
                ->group("Collector options");
          },
      .factory =
          [opts](const common::CollectorContext& ctx) {
            return std::make_unique<NetDevCollector>(ctx.paths, *opts);
          }};
}

}  // namespace node_health
