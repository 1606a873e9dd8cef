#include "vmstat_collector.h"

#include <CLI/CLI.hpp>

#include "common/file_util.h"

namespace node_health {
namespace {
constexpr std::string_view kFieldsFlag = "--collector.vmstat.fields";
}  // namespace

std::vector<VmstatField> ParseVmstat(std::string_view text) {
  std::vector<VmstatField> out;
  std::vector<std::string_view> f;
  common::ForEachLine(text, [&](std::string_view line) {
    common::SplitFieldsInto(line, f);
    if (f.empty()) return;
    if (f.size() != 2) {
      throw common::ParseError("/proc/vmstat: \"" +
                               std::string(line.substr(0, 64)) +
                               "\": expected \"name value\"");
    }
    uint64_t u;
    VmstatField field{.name = f[0]};
    // Event counters are unsigned longs that may exceed INT64_MAX.
    if (common::TryParseUint64(f[1], u)) {
      field.value = static_cast<double>(u);
    } else {
      field.value = static_cast<double>(
          common::ParseInt64(f[1], "/proc/vmstat " + std::string(f[0])));
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
