#pragma once

#include <sys/utsname.h>

#include <string>

#include "common/collector.h"

namespace node_health {

// The labels of node_uname_info.
struct UnameInfo {
  std::string sysname;
  std::string release;
  std::string version;
  std::string machine;
  std::string nodename;
  std::string domainname;
};

// Reads /proc/sys/kernel/{ostype,osrelease,version,arch,hostname,domainname}
// under `paths`; a missing or unreadable file leaves its field empty.
UnameInfo ReadUnameFiles(const common::Paths& paths);

// Fills the fields of `info` that are still empty from `uts`, the answer of
// uname(2).
void FillFromUtsname(UnameInfo& info, const struct utsname& uts);

// node_uname_info{sysname,release,version,machine,nodename,domainname} = 1,
// from procfs (so that --path.procfs decides) with uname(2) for what is
// missing there.
class UnameCollector : public common::Collector {
 public:
  explicit UnameCollector(const common::Paths& paths);
  // Throws std::system_error if uname(2) is needed and fails.
  void Update(common::MetricSink& sink) override;

 private:
  common::Paths paths_;
  common::Desc info_;
};

// The spec of the uname collector (enabled by default).
common::CollectorSpec UnameSpec();

}  // namespace node_health
