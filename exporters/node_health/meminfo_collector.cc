#include "meminfo_collector.h"

#include "common/file_util.h"

namespace node_health {
namespace {

[[noreturn]] void ThrowMeminfo(std::string_view line, std::string_view what) {
  throw common::ParseError("/proc/meminfo: " + common::Quote(line) + ": " +
                           std::string(what));
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::vector<MeminfoField> ParseMeminfo(std::string_view text) {
  std::vector<MeminfoField> out;
  std::vector<std::string_view> f;
  common::ForEachLine(text, [&](std::string_view line) {
    if (common::Trim(line).empty()) return;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      ThrowMeminfo(line, "expected \"Field: value\"");
    }
    common::SplitFieldsInto(line.substr(colon + 1), f);
    if (f.empty() || f.size() > 2) {
      ThrowMeminfo(line, "expected a value and an optional unit");
    }
    uint64_t v;
    if (!common::TryParseUint64(f[0], v))
      ThrowMeminfo(line, "expected a number");
    MeminfoField field{.name = line.substr(0, colon),
                       .value = static_cast<double>(v)};
    if (f.size() == 2) {
      if (f[1] != "kB") ThrowMeminfo(line, "unsupported unit");
      field.value *= 1024;
      field.bytes = true;
    }
    out.push_back(field);
  });
  if (out.empty()) throw common::ParseError("/proc/meminfo: no fields");
  return out;
}

std::string MeminfoMetricName(std::string_view field, bool bytes) {
  std::string name = "node_memory_";
  for (char c : field) {
    // node_exporter turns "(anon)" into "_anon".
    if (c == ')') continue;
    name += IsNameChar(c) ? c : '_';
  }
  if (bytes) name += "_bytes";
  return name;
}

MeminfoCollector::MeminfoCollector(const common::Paths& paths)
    : path_(paths.Proc("meminfo")),
      descs_([](std::string_view key) -> std::optional<common::Desc> {
        bool bytes = key.ends_with('+');
        if (bytes) key.remove_suffix(1);
        std::string name = MeminfoMetricName(key, bytes);
        std::string help =
            "Memory information field " +
            name.substr(std::string_view("node_memory_").size()) + ".";
        auto type = name.ends_with("_total") ? common::MetricType::kCounter
                                             : common::MetricType::kGauge;
        return common::Desc(std::move(name), std::move(help), type);
      }) {}

void MeminfoCollector::Update(common::MetricSink& sink) {
  std::string text = common::ReadFile(path_);
  std::vector<MeminfoField> fields = ParseMeminfo(text);
  std::string key;
  auto descs = descs_.InOrder();
  for (const MeminfoField& field : fields) {
    key.assign(field.name);
    if (field.bytes) key += '+';
    sink.Add(*descs.Get(key, sink), field.value);
  }
}

common::CollectorSpec MeminfoSpec() {
  return {.name = "meminfo",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<MeminfoCollector>(ctx.paths);
          }};
}

}  // namespace node_health
