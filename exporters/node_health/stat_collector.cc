#include "stat_collector.h"

#include <CLI/CLI.hpp>

#include "common/file_util.h"

namespace node_health {
namespace {

[[noreturn]] void ThrowStat(std::string_view key, std::string_view what) {
  throw common::ParseError("/proc/stat: " + std::string(key) + ": " +
                           std::string(what));
}

double Number(std::string_view field, std::string_view key) {
  uint64_t v;
  if (!common::TryParseUint64(field, v)) {
    ThrowStat(key, "expected a number, got " + common::Quote(field));
  }
  return static_cast<double>(v);
}

// Returns the first space-separated field of `rest` without looking further:
// the intr line holds one counter per interrupt line, 200 KB on big hosts.
std::string_view FirstField(std::string_view rest) {
  size_t pos = 0;
  return common::NextField(rest, pos);
}

enum Seen : unsigned {
  kBtime = 1,
  kCtxt = 2,
  kProcesses = 4,
  kIntr = 8,
  kRunning = 16,
  kBlocked = 32,
  kAll = 63,
};

}  // namespace

StatInfo ParseStat(std::string_view text) {
  StatInfo info;
  unsigned seen = 0;
  std::vector<std::string_view> f;
  common::ForEachLine(text, [&](std::string_view line) {
    size_t sp = 0;
    while (sp < line.size() && line[sp] != ' ' && line[sp] != '\t') ++sp;
    std::string_view key = line.substr(0, sp);
    std::string_view rest = line.substr(sp);
    auto first = [&] { return Number(FirstField(rest), key); };
    if (key.starts_with("cpu")) return;
    if (key == "intr") {
      info.interrupts = first();
      seen |= kIntr;
    } else if (key == "ctxt") {
      info.context_switches = first();
      seen |= kCtxt;
    } else if (key == "btime") {
      info.boot_time = first();
      seen |= kBtime;
    } else if (key == "processes") {
      info.forks = first();
      seen |= kProcesses;
    } else if (key == "procs_running") {
      info.procs_running = first();
      seen |= kRunning;
    } else if (key == "procs_blocked") {
      info.procs_blocked = first();
      seen |= kBlocked;
    } else if (key == "softirq") {
      common::SplitFieldsInto(rest, f);
      // The total, then one count per vector.
      if (f.size() < kSoftirqVectors.size() + 1) {
        ThrowStat(key, "expected " +
                           std::to_string(kSoftirqVectors.size() + 1) +
                           " numbers, got " + std::to_string(f.size()));
      }
      for (size_t i = 0; i < kSoftirqVectors.size(); ++i) {
        info.softirqs[i] = Number(f[i + 1], key);
      }
      info.has_softirq = true;
    }
  });
  if (seen != kAll) {
    static constexpr std::pair<unsigned, std::string_view> kNames[] = {
        {kBtime, "btime"},           {kCtxt, "ctxt"},
        {kProcesses, "processes"},   {kIntr, "intr"},
        {kRunning, "procs_running"}, {kBlocked, "procs_blocked"}};
    for (const auto& [bit, name] : kNames) {
      if (!(seen & bit)) ThrowStat(name, "line missing");
    }
  }
  return info;
}

StatCollector::StatCollector(const common::Paths& paths, bool softirq)
    : path_(paths.Proc("stat")),
      softirq_(softirq),
      boot_time_("node_boot_time_seconds", "Node boot time, in unixtime.",
                 common::MetricType::kGauge),
      context_switches_("node_context_switches_total",
                        "Total number of context switches.",
                        common::MetricType::kCounter),
      forks_("node_forks_total", "Total number of forks.",
             common::MetricType::kCounter),
      intr_("node_intr_total", "Total number of interrupts serviced.",
            common::MetricType::kCounter),
      procs_running_("node_procs_running",
                     "Number of processes in runnable state.",
                     common::MetricType::kGauge),
      procs_blocked_("node_procs_blocked",
                     "Number of processes blocked waiting for I/O to complete.",
                     common::MetricType::kGauge),
      softirqs_("node_softirqs_total", "Number of softirq calls.",
                common::MetricType::kCounter, {"vector"}) {}

void StatCollector::Update(common::MetricSink& sink) {
  StatInfo info = ParseStat(sink.ReadFileOnce(path_));
  sink.Add(boot_time_, info.boot_time);
  sink.Add(context_switches_, info.context_switches);
  sink.Add(forks_, info.forks);
  sink.Add(intr_, info.interrupts);
  sink.Add(procs_running_, info.procs_running);
  sink.Add(procs_blocked_, info.procs_blocked);
  if (softirq_) {
    if (!info.has_softirq) {
      throw common::ParseError(path_ + ": softirq line missing");
    }
    for (size_t i = 0; i < kSoftirqVectors.size(); ++i) {
      sink.Add(softirqs_, info.softirqs[i], {kSoftirqVectors[i]});
    }
  }
}

namespace {
struct StatOptions {
  bool softirq = false;
};
}  // namespace

common::CollectorSpec StatSpec() {
  auto opts = std::make_shared<StatOptions>();
  return {.name = "stat",
          .enabled_by_default = true,
          .add_flags =
              [opts](CLI::App& app) {
                app.add_flag(
                       "--collector.stat.softirq,!--no-collector.stat.softirq",
                       opts->softirq, "Export softirq calculation metrics.")
                    ->capture_default_str()
                    ->group("Collector options");
              },
          .factory =
              [opts](const common::CollectorContext& ctx) {
                return std::make_unique<StatCollector>(ctx.paths,
                                                       opts->softirq);
              }};
}

}  // namespace node_health
