#include "pressure_collector.h"

#include <cerrno>

#include "common/file_util.h"

namespace node_health {
namespace {

// Reads a pressure file; nullopt if it does not exist. With psi=0 on the
// kernel command line the files exist but reading them fails with
// EOPNOTSUPP, which also means "no PSI on this host".
std::optional<std::string> ReadPressure(const std::string& path) {
  try {
    return common::ReadOptionalFile(path);
  } catch (const common::FileError& e) {
    if (e.error_code() == EOPNOTSUPP) return std::nullopt;
    throw;
  }
}

double Need(const std::optional<double>& v, const std::string& path,
            std::string_view line) {
  if (!v) {
    throw common::ParseError(path + ": missing " + common::Quote(line) +
                             " line");
  }
  return *v;
}

PressureTotals ParseFile(const std::string& text, const std::string& path) {
  try {
    return ParsePressure(text);
  } catch (const common::ParseError& e) {
    throw common::ParseError(path + ": " + e.what());
  }
}

}  // namespace

PressureTotals ParsePressure(std::string_view text) {
  PressureTotals totals;
  std::vector<std::string_view> f;
  common::ForEachLine(text, [&](std::string_view line) {
    common::SplitFieldsInto(line, f);
    if (f.empty()) return;
    std::optional<double>* slot = nullptr;
    if (f[0] == "some") {
      slot = &totals.some;
    } else if (f[0] == "full") {
      slot = &totals.full;
    } else {
      return;  // a kind of line a later kernel may add
    }
    for (size_t i = 1; i < f.size(); ++i) {
      std::string_view kv = f[i];
      if (common::ConsumePrefix(kv, "total=")) {
        *slot = static_cast<double>(common::ParseUint64(kv, "total")) / 1e6;
        return;
      }
    }
    throw common::ParseError(common::Quote(line) + ": missing total=");
  });
  return totals;
}

PressureCollector::PressureCollector(const common::Paths& paths)
    : cpu_path_(paths.Proc("pressure/cpu")),
      io_path_(paths.Proc("pressure/io")),
      memory_path_(paths.Proc("pressure/memory")),
      irq_path_(paths.Proc("pressure/irq")),
      cpu_waiting_(
          "node_pressure_cpu_waiting_seconds_total",
          "Total time in seconds that processes have waited for CPU time",
          common::MetricType::kCounter),
      io_waiting_("node_pressure_io_waiting_seconds_total",
                  "Total time in seconds that processes have waited due to IO "
                  "congestion",
                  common::MetricType::kCounter),
      io_stalled_("node_pressure_io_stalled_seconds_total",
                  "Total time in seconds no process could make progress due "
                  "to IO congestion",
                  common::MetricType::kCounter),
      memory_waiting_(
          "node_pressure_memory_waiting_seconds_total",
          "Total time in seconds that processes have waited for memory",
          common::MetricType::kCounter),
      memory_stalled_("node_pressure_memory_stalled_seconds_total",
                      "Total time in seconds no process could make progress "
                      "due to memory congestion",
                      common::MetricType::kCounter),
      irq_stalled_("node_pressure_irq_stalled_seconds_total",
                   "Total time in seconds no process could make progress due "
                   "to IRQ congestion",
                   common::MetricType::kCounter) {}

void PressureCollector::Update(common::MetricSink& sink) {
  auto cpu_text = ReadPressure(cpu_path_);
  if (!cpu_text) {
    throw common::NoDataError(
        "pressure information is unavailable (needs Linux >= 4.20 with "
        "CONFIG_PSI and without psi=0)");
  }
  auto io_text = ReadPressure(io_path_);
  auto memory_text = ReadPressure(memory_path_);
  if (!io_text || !memory_text) {
    throw common::NoDataError("pressure: io or memory file missing");
  }
  // irq came with Linux 6.1 (and CONFIG_IRQ_TIME_ACCOUNTING); a kernel that
  // lacks it never grows it, so stop looking once it is known absent.
  std::optional<std::string> irq_text;
  if (!irq_absent_.load(std::memory_order_relaxed)) {
    irq_text = ReadPressure(irq_path_);
    if (!irq_text) irq_absent_ = true;
  }

  PressureTotals cpu = ParseFile(*cpu_text, cpu_path_);
  PressureTotals io = ParseFile(*io_text, io_path_);
  PressureTotals memory = ParseFile(*memory_text, memory_path_);
  sink.Add(cpu_waiting_, Need(cpu.some, cpu_path_, "some"));
  sink.Add(io_waiting_, Need(io.some, io_path_, "some"));
  sink.Add(io_stalled_, Need(io.full, io_path_, "full"));
  sink.Add(memory_waiting_, Need(memory.some, memory_path_, "some"));
  sink.Add(memory_stalled_, Need(memory.full, memory_path_, "full"));
  if (irq_text) {
    PressureTotals irq = ParseFile(*irq_text, irq_path_);
    sink.Add(irq_stalled_, Need(irq.full, irq_path_, "full"));
  }
}

common::CollectorSpec PressureSpec() {
  return {.name = "pressure",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<PressureCollector>(ctx.paths);
          }};
}

}  // namespace node_health
