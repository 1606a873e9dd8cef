#include "cpu_collector.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "common/file_util.h"

namespace node_health {
namespace {

// node_exporter's jumpBackSeconds: an idle counter that falls this far means
// the CPU went offline and came back, not a glitch of the kernel's sums.
constexpr double kJumpBackSeconds = 3.0;

// Columns 1..8 are required; guest and guest_nice (9, 10) came with 2.6.24
// and 2.6.33 and are missing on some container runtimes.
constexpr size_t kRequiredColumns = 8;

[[noreturn]] void ThrowCpu(std::string_view name, std::string_view what) {
  throw common::ParseError("/proc/stat: " + std::string(name) + ": " +
                           std::string(what));
}

double Ticks(std::string_view field, std::string_view name, double user_hz) {
  uint64_t v;
  if (!common::TryParseUint64(field, v)) {
    ThrowCpu(name, "expected a number of ticks, got " + common::Quote(field));
  }
  return static_cast<double>(v) / user_hz;
}

}  // namespace

std::vector<CpuLine> ParseCpuStat(std::string_view text, double user_hz) {
  std::vector<CpuLine> out;
  std::vector<std::string_view> f;
  bool in_cpu_block = false;
  while (!text.empty()) {
    bool is_cpu = text.starts_with("cpu");
    // The cpu lines come first; stop before the (possibly huge) intr line.
    if (!is_cpu && in_cpu_block) break;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text =
        nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!is_cpu) continue;
    in_cpu_block = true;
    common::SplitFieldsInto(line, f);
    std::string_view name = f[0];
    std::string_view number = name.substr(3);
    if (number.empty()) continue;  // the aggregate line
    CpuLine cpu;
    cpu.cpu = number;
    if (!common::TryParseUint64(number, cpu.id)) {
      ThrowCpu(name, "expected cpu<N>");
    }
    if (f.size() < kRequiredColumns + 1) {
      ThrowCpu(name, "expected at least 8 columns, got " +
                         std::to_string(f.size() - 1));
    }
    CpuTimes& t = cpu.times;
    t.user = Ticks(f[1], name, user_hz);
    t.nice = Ticks(f[2], name, user_hz);
    t.system = Ticks(f[3], name, user_hz);
    t.idle = Ticks(f[4], name, user_hz);
    t.iowait = Ticks(f[5], name, user_hz);
    t.irq = Ticks(f[6], name, user_hz);
    t.softirq = Ticks(f[7], name, user_hz);
    t.steal = Ticks(f[8], name, user_hz);
    if (f.size() > 9) t.guest = Ticks(f[9], name, user_hz);
    if (f.size() > 10) t.guest_nice = Ticks(f[10], name, user_hz);
    out.push_back(cpu);
  }
  return out;
}

void MergeCpuTimes(CpuTimes& last, const CpuTimes& next) {
  if (last.idle - next.idle >= kJumpBackSeconds) last = CpuTimes{};
  auto keep_max = [](double& kept, double seen) {
    if (seen >= kept) kept = seen;
  };
  keep_max(last.user, next.user);
  keep_max(last.nice, next.nice);
  keep_max(last.system, next.system);
  keep_max(last.idle, next.idle);
  keep_max(last.iowait, next.iowait);
  keep_max(last.irq, next.irq);
  keep_max(last.softirq, next.softirq);
  keep_max(last.steal, next.steal);
  keep_max(last.guest, next.guest);
  keep_max(last.guest_nice, next.guest_nice);
}

CpuCollector::CpuCollector(const common::Paths& paths, bool guest,
                           double user_hz)
    : path_(paths.Proc("stat")),
      guest_(guest),
      user_hz_(user_hz),
      seconds_("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.",
               common::MetricType::kCounter, {"cpu", "mode"}),
      guest_seconds_("node_cpu_guest_seconds_total",
                     "Seconds the CPUs spent in guests (VMs) for each mode.",
                     common::MetricType::kCounter, {"cpu", "mode"}) {
  if (user_hz_ <= 0) {
    long hz = ::sysconf(_SC_CLK_TCK);
    user_hz_ = hz > 0 ? static_cast<double>(hz) : 100.0;
  }
}

void CpuCollector::Update(common::MetricSink& sink) {
  const std::string& text = sink.ReadFileOnce(path_);
  std::vector<CpuLine> cpus = ParseCpuStat(text, user_hz_);
  if (cpus.empty()) throw common::ParseError(path_ + ": no cpu<N> lines");

  std::lock_guard lock(mu_);
  // Forget CPUs that went offline so that their stale maxima cannot hide
  // the smaller counters they restart with when they come back.
  std::vector<uint64_t> ids;
  ids.reserve(cpus.size());
  for (const CpuLine& c : cpus) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  std::erase_if(last_, [&](const auto& entry) {
    return !std::binary_search(ids.begin(), ids.end(), entry.first);
  });

  for (const CpuLine& c : cpus) {
    CpuTimes& t = last_[c.id];
    MergeCpuTimes(t, c.times);
    sink.Add(seconds_, t.user, {c.cpu, "user"});
    sink.Add(seconds_, t.nice, {c.cpu, "nice"});
    sink.Add(seconds_, t.system, {c.cpu, "system"});
    sink.Add(seconds_, t.idle, {c.cpu, "idle"});
    sink.Add(seconds_, t.iowait, {c.cpu, "iowait"});
    sink.Add(seconds_, t.irq, {c.cpu, "irq"});
    sink.Add(seconds_, t.softirq, {c.cpu, "softirq"});
    sink.Add(seconds_, t.steal, {c.cpu, "steal"});
    if (guest_) {
      // Guest time is also counted in user and nice; exported apart.
      sink.Add(guest_seconds_, t.guest, {c.cpu, "user"});
      sink.Add(guest_seconds_, t.guest_nice, {c.cpu, "nice"});
    }
  }
}

namespace {
struct CpuOptions {
  bool guest = true;
};
}  // namespace

common::CollectorSpec CpuSpec() {
  auto opts = std::make_shared<CpuOptions>();
  return {.name = "cpu",
          .enabled_by_default = true,
          .add_flags =
              [opts](CLI::App& app) {
                app.add_flag("--collector.cpu.guest,!--no-collector.cpu.guest",
                             opts->guest,
                             "Enables metric node_cpu_guest_seconds_total.")
                    ->capture_default_str()
                    ->group("Collector options");
              },
          .factory =
              [opts](const common::CollectorContext& ctx) {
                return std::make_unique<CpuCollector>(ctx.paths, opts->guest);
              }};
}

}  // namespace node_health
