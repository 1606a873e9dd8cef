#include "common/desc.h"

#include <stdexcept>

namespace common {
namespace {

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

void AppendEscapedHelp(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
    case MetricType::kSummary:
      return "summary";
    case MetricType::kUntyped:
      break;
  }
  return "untyped";
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || !(IsNameStart(name[0]) || name[0] == ':')) return false;
  for (char c : name) {
    if (!IsNameChar(c) && c != ':') return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  if (name.starts_with("__")) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Desc::Desc(std::string name, std::string help, MetricType type,
           std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {
  if (!IsValidMetricName(name_)) {
    throw std::invalid_argument("invalid metric name \"" + name_ + "\"");
  }
  header_ = "# HELP " + name_ + " ";
  AppendEscapedHelp(header_, help_);
  header_ += "\n# TYPE " + name_ + " ";
  header_ += MetricTypeName(type_);
  header_ += "\n";
  for (size_t i = 0; i < label_names_.size(); ++i) {
    const std::string& l = label_names_[i];
    if (!IsValidLabelName(l)) {
      throw std::invalid_argument("metric " + name_ +
                                  ": invalid label name \"" + l + "\"");
    }
    label_prefixes_.push_back((i == 0 ? "{" : ",") + l + "=\"");
  }
}

}  // namespace common
