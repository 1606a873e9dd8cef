#include "filefd_collector.h"

#include "common/file_util.h"

namespace node_health {

FileNr ParseFileNr(std::string_view text) {
  auto f = common::SplitFields(common::Trim(text));
  if (f.size() < 3) {
    throw common::ParseError("/proc/sys/fs/file-nr: expected 3 numbers, got " +
                             std::to_string(f.size()));
  }
  return {.allocated = static_cast<double>(
              common::ParseUint64(f[0], "/proc/sys/fs/file-nr allocated")),
          .maximum = static_cast<double>(
              common::ParseUint64(f[2], "/proc/sys/fs/file-nr maximum"))};
}

FilefdCollector::FilefdCollector(const common::Paths& paths)
    : path_(paths.Proc("sys/fs/file-nr")),
      allocated_("node_filefd_allocated",
                 "File descriptor statistics: allocated.",
                 common::MetricType::kGauge),
      maximum_("node_filefd_maximum", "File descriptor statistics: maximum.",
               common::MetricType::kGauge) {}

void FilefdCollector::Update(common::MetricSink& sink) {
  FileNr nr = ParseFileNr(common::ReadFile(path_));
  sink.Add(allocated_, nr.allocated);
  sink.Add(maximum_, nr.maximum);
}

common::CollectorSpec FilefdSpec() {
  return {.name = "filefd",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<FilefdCollector>(ctx.paths);
          }};
}

}  // namespace node_health
