#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace common {

// The exposition type of a metric family.
enum class MetricType { kCounter, kGauge, kUntyped, kHistogram, kSummary };

// Returns the exposition keyword of `type` ("counter", "gauge", ...).
std::string_view MetricTypeName(MetricType type);

// Returns true if `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool IsValidMetricName(std::string_view name);

// Returns true if `name` is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not
// starting with "__").
bool IsValidLabelName(std::string_view name);

// The identity of one metric family: name, help, type and label names, as
// node_exporter's typedDesc. Build Descs once (in a collector's constructor),
// not per scrape: the HELP/TYPE header and label prefixes are prepared here.
// Throws std::invalid_argument on an invalid metric or label name.
class Desc {
 public:
  Desc(std::string name, std::string help, MetricType type,
       std::vector<std::string> label_names = {});

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // "# HELP <name> <escaped help>\n# TYPE <name> <type>\n".
  const std::string& header() const { return header_; }
  // For label i: "{name=\"" for the first label, ",name=\"" for the rest.
  const std::string& label_prefix(size_t i) const { return label_prefixes_[i]; }

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
  std::string header_;
  std::vector<std::string> label_prefixes_;
};

}  // namespace common
