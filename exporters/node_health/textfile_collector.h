#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/collector.h"

namespace node_health {

// One sample of a parsed exposition text.
struct TextSample {
  std::string suffix;  // "", "_bucket", "_sum" or "_count"
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

// One metric family of a parsed exposition text.
struct TextFamily {
  std::string name;
  std::string help;
  common::MetricType type = common::MetricType::kUntyped;
  bool has_help = false;
  std::vector<TextSample> samples;
};

// Parses Prometheus text exposition format 0.0.4, as cron jobs write for the
// textfile collector. Samples of a histogram or summary family (name_bucket,
// name_sum, name_count) are grouped under it. Throws common::ParseError naming
// the line: bad syntax, invalid names, a TYPE after the family's samples, a
// repeated HELP or TYPE, or a client-side timestamp (which Prometheus would
// misread for data from a file).
std::vector<TextFamily> ParseTextFormat(std::string_view text);

// Reads every *.prom file in the given directories: their metrics, plus
// node_textfile_mtime_seconds{file} and node_textfile_scrape_error (1 if any
// file or directory could not be read or parsed; that file is skipped).
class TextfileCollector : public common::Collector {
 public:
  explicit TextfileCollector(std::vector<std::string> directories);
  void Update(common::MetricSink& sink) override;

 private:
  std::vector<std::string> directories_;
  common::Desc mtime_, scrape_error_;
};

// The spec of the textfile collector and --collector.textfile.directory.
common::CollectorSpec TextfileSpec();

}  // namespace node_health
