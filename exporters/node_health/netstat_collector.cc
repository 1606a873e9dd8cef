#include "netstat_collector.h"

#include <CLI/CLI.hpp>
#include <cctype>

#include "common/file_util.h"
#include "common/filter.h"

namespace node_health {
namespace {

// The protocol of a "Tcp:" field. `where` names the line, for the error.
template <typename Where>
std::string_view ProtoOf(std::string_view name_field, const Where& where) {
  if (name_field.size() < 2 || name_field.back() != ':') {
    throw common::ParseError(where() + ": expected \"<Proto>:\", got \"" +
                             std::string(name_field) + "\"");
  }
  return name_field.substr(0, name_field.size() - 1);
}

// A statistic's value; `where` names the line, for the error.
template <typename Where>
double ParseValue(std::string_view field, const Where& where) {
  double v;
  if (!common::TryParseDouble(field, v)) {
    throw common::ParseError(where() + ": expected a number, got \"" +
                             std::string(field.substr(0, 64)) + "\"");
  }
  return v;
}

}  // namespace

void ParseNetStats(std::string_view text, std::string_view file,
                   std::vector<NetStatValue>& out) {
  std::vector<std::string_view> names, values;
  std::string_view pending;  // the header line waiting for its values
  size_t line_no = 0, pending_no = 0;
  common::ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    if (common::Trim(line).empty()) return;
    if (pending.empty()) {
      pending = line;
      pending_no = line_no;
      return;
    }
    // Built only when something is wrong: most scrapes never need it.
    auto where_of = [&] {
      return std::string(file) + ": line " + std::to_string(line_no);
    };
    common::SplitFieldsInto(pending, names);
    common::SplitFieldsInto(line, values);
    pending = {};
    std::string_view proto = ProtoOf(names[0], where_of);
    if (ProtoOf(values[0], where_of) != proto) {
      throw common::ParseError(
          where_of() + ": values of \"" + std::string(values[0]) +
          "\" follow the names of \"" + std::string(names[0]) + "\"");
    }
    if (names.size() != values.size()) {
      throw common::ParseError(where_of() + ": " + std::string(proto) +
                               " has " + std::to_string(names.size() - 1) +
                               " names but " +
                               std::to_string(values.size() - 1) + " values");
    }
    for (size_t i = 1; i < names.size(); ++i) {
      out.push_back({proto, names[i], ParseValue(values[i], where_of)});
    }
  });
  if (!pending.empty()) {
    throw common::ParseError(std::string(file) + ": line " +
                             std::to_string(pending_no) +
                             ": names without a line of values");
  }
}

void ParseSnmp6(std::string_view text, std::vector<NetStatValue>& out) {
  std::vector<std::string_view> f;
  size_t line_no = 0;
  common::ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    common::SplitFieldsInto(line, f);
    if (f.size() < 2) return;
    std::string_view name = f[0];
    size_t digit = 0;
    while (digit < name.size() &&
           !std::isdigit(static_cast<unsigned char>(name[digit]))) {
      ++digit;
    }
    if (digit == name.size()) return;
    size_t end = digit;
    while (end < name.size() &&
           std::isdigit(static_cast<unsigned char>(name[end])))
      ++end;
    if (end == name.size()) return;  // a protocol without a field
    double value;
    if (!common::TryParseDouble(f[1], value)) {
      throw common::ParseError("net/snmp6: line " + std::to_string(line_no) +
                               ": expected a number, got \"" +
                               std::string(f[1]) + "\"");
    }
    out.push_back({name.substr(0, end), name.substr(end), value});
  });
}

NetStatCollector::NetStatCollector(const common::Paths& paths,
                                   const NetStatOptions& options)
    : netstat_path_(paths.Proc("net/netstat")),
      snmp_path_(paths.Proc("net/snmp")),
      snmp6_path_(paths.Proc("net/snmp6")),
      fields_(options.fields, "--collector.netstat.fields"),
      descs_([this](std::string_view key) -> std::optional<common::Desc> {
        if (!fields_.Allows(key)) return std::nullopt;
        std::string name = "node_netstat_" + std::string(key);
        if (!common::IsValidMetricName(name)) {
          throw common::ParseError("net: invalid statistic name \"" +
                                   std::string(key) + "\"");
        }
        // Protocol names (TcpExt, Udp6) hold no '_'.
        size_t sep = key.find('_');
        return common::Desc(std::move(name),
                            "Statistic " + std::string(key.substr(0, sep)) +
                                std::string(key.substr(sep + 1)) + ".",
                            common::MetricType::kUntyped);
      }) {}

void NetStatCollector::Update(common::MetricSink& sink) {
  auto netstat = common::ReadOptionalFile(netstat_path_);
  if (!netstat) throw common::NoDataError(netstat_path_ + " does not exist");
  auto snmp = common::ReadOptionalFile(snmp_path_);
  if (!snmp) throw common::NoDataError(snmp_path_ + " does not exist");
  // Absent when IPv6 is disabled.
  auto snmp6 = common::ReadOptionalFile(snmp6_path_);

  std::vector<NetStatValue> stats;
  stats.reserve(512);
  ParseNetStats(*netstat, "net/netstat", stats);
  ParseNetStats(*snmp, "net/snmp", stats);
  if (snmp6) ParseSnmp6(*snmp6, stats);

  std::string key;
  auto descs = descs_.InOrder();
  for (const NetStatValue& s : stats) {
    key.assign(s.proto);
    key += '_';
    key += s.field;
    if (const common::Desc* desc = descs.Get(key, sink))
      sink.Add(*desc, s.value);
  }
}

common::CollectorSpec NetstatSpec() {
  auto opts = std::make_shared<NetStatOptions>();
  return {.name = "netstat",
          .enabled_by_default = true,
          .add_flags =
              [opts](CLI::App& app) {
                app.add_option(
                       "--collector.netstat.fields", opts->fields,
                       "Regexp of fields to return for netstat collector.")
                    ->capture_default_str()
                    ->group("Collector options");
              },
          .factory =
              [opts](const common::CollectorContext& ctx) {
                return std::make_unique<NetStatCollector>(ctx.paths, *opts);
              }};
}

}  // namespace node_health
