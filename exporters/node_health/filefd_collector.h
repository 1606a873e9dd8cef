#pragma once

#include <string>
#include <string_view>

#include "common/collector.h"

namespace node_health {

// The open file handles of the system, from /proc/sys/fs/file-nr.
struct FileNr {
  double allocated = 0;  // handles allocated
  double maximum = 0;    // fs.file-max
};

// Parses /proc/sys/fs/file-nr ("allocated unused maximum"). Throws
// common::ParseError on fewer than 3 fields or a non-number.
FileNr ParseFileNr(std::string_view text);

// node_filefd_allocated and node_filefd_maximum from /proc/sys/fs/file-nr.
class FilefdCollector : public common::Collector {
 public:
  explicit FilefdCollector(const common::Paths& paths);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  common::Desc allocated_, maximum_;
};

// The spec of the filefd collector (enabled by default).
common::CollectorSpec FilefdSpec();

}  // namespace node_health
