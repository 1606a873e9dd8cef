#include "vmstat_collector.h"

#include <CLI/CLI.hpp>

#include "common/file_util.h"

namespace node_health {
namespace {
constexpr std::string_view kFieldsFlag = "--collector.vmstat.fields";
}  // namespace

std::vector<VmstatField> ParseVmstat(std::string_view text) {
  std::vector<VmstatField> out;
  out.reserve(256);  // about 180 fields on a 6.x kernel
  common::ForEachLine(text, [&](std::string_view line) {
    line = common::Trim(line);
    if (line.empty()) return;
    // "name value": one space, no more fields (checked without splitting the
    // line into a vector, which costs more than the parse).
    size_t sp = line.find(' ');
    std::string_view name = line.substr(0, sp);
    std::string_view value = sp == std::string_view::npos
                                 ? std::string_view()
                                 : common::Trim(line.substr(sp + 1));
    if (value.empty() || value.find(' ') != std::string_view::npos ||
        value.find('\t') != std::string_view::npos) {
      throw common::ParseError("/proc/vmstat: " + common::Quote(line) +
                               ": expected \"name value\"");
    }
    uint64_t u;
    VmstatField field{.name = name};
    // Event counters are unsigned longs that may exceed INT64_MAX.
    if (common::TryParseUint64(value, u)) {
      field.value = static_cast<double>(u);
    } else {
      field.value = static_cast<double>(
          common::ParseInt64(value, "/proc/vmstat " + std::string(name)));
    }
    out.push_back(field);
  });
  return out;
}

VmstatCollector::VmstatCollector(const common::Paths& paths,
                                 const std::string& fields)
    : path_(paths.Proc("vmstat")),
      filter_(fields, kFieldsFlag),
      descs_([this](std::string_view field) -> std::optional<common::Desc> {
        if (!filter_.Allows(field)) return std::nullopt;
        std::string name(field);
        return common::Desc("node_vmstat_" + name,
                            "/proc/vmstat information field " + name + ".",
                            common::MetricType::kUntyped);
      }) {}

void VmstatCollector::Update(common::MetricSink& sink) {
  std::string text = common::ReadFile(path_);
  std::vector<VmstatField> fields = ParseVmstat(text);
  auto descs = descs_.InOrder();
  for (const VmstatField& field : fields) {
    if (const common::Desc* desc = descs.Get(field.name, sink))
      sink.Add(*desc, field.value);
  }
}

namespace {
struct VmstatOptions {
  std::string fields{kDefaultVmstatFields};
};
}  // namespace

common::CollectorSpec VmstatSpec() {
  auto opts = std::make_shared<VmstatOptions>();
  return {.name = "vmstat",
          .enabled_by_default = true,
          .add_flags =
              [opts](CLI::App& app) {
                app.add_option(std::string(kFieldsFlag), opts->fields,
                               "Regexp of fields to return for vmstat "
                               "collector.")
                    ->capture_default_str()
                    ->group("Collector options");
              },
          .factory =
              [opts](const common::CollectorContext& ctx) {
                return std::make_unique<VmstatCollector>(ctx.paths,
                                                         opts->fields);
              }};
}

}  // namespace node_health
