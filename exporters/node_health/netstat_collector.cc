#include "netstat_collector.h"

#include <CLI/CLI.hpp>

#include "common/file_util.h"
#include "common/filter.h"

namespace node_health {
namespace {

// The protocol of a "Tcp:" field. `where` names the line, for the error.
template <typename Where>
std::string_view ProtoOf(std::string_view name_field, const Where& where) {
  if (name_field.size() < 2 || name_field.back() != ':') {
    throw common::ParseError(where() + ": expected \"<Proto>:\", got " +
                             common::Quote(name_field));
  }
  return name_field.substr(0, name_field.size() - 1);
}

// A statistic's value; `where` names the line, for the error.
template <typename Where>
double ParseValue(std::string_view field, const Where& where) {
  double v;
  if (!common::TryParseDouble(field, v)) {
    throw common::ParseError(where() + ": expected a number, got " +
                             common::Quote(field));
  }
  return v;
}

}  // namespace

void NetStatParser::ParsePairs(std::string_view text, std::string_view file,
                               const Select& select,
                               std::vector<NetStatSample>& out) {
  std::vector<std::string_view> names;  // only when a names line is new
  std::string key;
  std::string_view pending;  // the names line waiting for its values
  size_t line_no = 0, pending_no = 0, pair = 0;
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
    std::string_view names_line = pending;
    pending = {};
    if (pair >= pairs_.size() || pairs_[pair].names != names_line) {
      pairs_.resize(pair);
      Pair p;
      p.names = names_line;
      common::SplitFieldsInto(names_line, names);
      p.proto = ProtoOf(names[0], [&] {
        return std::string(file) + ": line " + std::to_string(pending_no);
      });
      p.fields = names.size();
      for (size_t i = 1; i < names.size(); ++i) {
        key.assign(p.proto);
        key += '_';
        key += names[i];
        if (const common::Desc* desc = select(key))
          p.picked.push_back({i, desc});
      }
      pairs_.push_back(std::move(p));
    }
    const Pair& p = pairs_[pair++];
    // Walk the values: the protocol, then only the picked ones parsed.
    size_t field = 0, next = 0, pos = 0;
    for (auto value = common::NextField(line, pos); !value.empty();
         value = common::NextField(line, pos), ++field) {
      if (field == 0) {
        if (ProtoOf(value, where_of) != p.proto) {
          throw common::ParseError(
              where_of() + ": values of " + common::Quote(value) +
              " follow the names of " + common::Quote(p.proto + ":"));
        }
      } else if (next < p.picked.size() && p.picked[next].first == field) {
        out.push_back({p.picked[next++].second, ParseValue(value, where_of)});
      }
    }
    if (field != p.fields) {
      throw common::ParseError(where_of() + ": " + p.proto + " has " +
                               std::to_string(p.fields - 1) + " names but " +
                               std::to_string(field == 0 ? 0 : field - 1) +
                               " values");
    }
  });
  if (!pending.empty()) {
    throw common::ParseError(std::string(file) + ": line " +
                             std::to_string(pending_no) +
                             ": names without a line of values");
  }
}

void NetStatParser::ParseSnmp6(std::string_view text, const Select& select,
                               std::vector<NetStatSample>& out) {
  std::string key;
  size_t line_no = 0, index = 0;
  common::ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    size_t pos = 0;
    std::string_view name = common::NextField(line, pos);
    std::string_view value = common::NextField(line, pos);
    if (value.empty()) return;
    const common::Desc* desc = nullptr;
    if (index < lines_.size() && lines_[index].name == name) {
      desc = lines_[index].desc;
    } else {
      lines_.resize(index);
      size_t digit = name.find_first_of("0123456789");
      size_t end = digit == std::string_view::npos
                       ? digit
                       : name.find_first_not_of("0123456789", digit);
      if (end != std::string_view::npos) {  // a protocol and a field
        key.assign(name.substr(0, end));
        key += '_';
        key += name.substr(end);
        desc = select(key);
      }
      lines_.push_back({std::string(name), desc});
    }
    ++index;
    if (!desc) return;
    double v;
    if (!common::TryParseDouble(value, v)) {
      throw common::ParseError("net/snmp6: line " + std::to_string(line_no) +
                               ": expected a number, got " +
                               common::Quote(value));
    }
    out.push_back({desc, v});
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

  std::unique_lock lock(mu_, std::try_to_lock);
  Parsers fresh;
  Parsers& parsers = lock.owns_lock() ? parsers_ : fresh;
  // Past DescCache::kMaxEntries new Descs live in this scrape's sink only:
  // the parsers must not remember them.
  struct ForgetIfFull {
    common::DescCache& descs;
    Parsers& parsers;
    ~ForgetIfFull() {
      if (descs.size() < common::DescCache::kMaxEntries) return;
      parsers.netstat.Forget();
      parsers.snmp.Forget();
      parsers.snmp6.Forget();
    }
  } forget_if_full{descs_, parsers};
  auto select = [&](std::string_view key) { return descs_.Get(key, sink); };

  std::vector<NetStatSample> samples;
  samples.reserve(64);
  parsers.netstat.ParsePairs(*netstat, "net/netstat", select, samples);
  parsers.snmp.ParsePairs(*snmp, "net/snmp", select, samples);
  if (snmp6) parsers.snmp6.ParseSnmp6(*snmp6, select, samples);
  for (const NetStatSample& s : samples) sink.Add(*s.desc, s.value);
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
