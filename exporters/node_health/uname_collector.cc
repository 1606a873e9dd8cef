#include "uname_collector.h"

#include <cerrno>
#include <system_error>

#include "common/file_util.h"

namespace node_health {
namespace {

std::string ReadKernelValue(const common::Paths& paths, std::string_view name) {
  try {
    auto text =
        common::ReadOptionalFile(paths.Proc("sys/kernel/" + std::string(name)));
    // Only the trailing newline goes: the version string has inner spaces.
    return text ? std::string(common::Trim(*text)) : std::string();
  } catch (const common::FileError&) {
    return {};
  }
}

void FillIfEmpty(std::string& field, const char* value) {
  if (field.empty()) field = value;
}

}  // namespace

UnameInfo ReadUnameFiles(const common::Paths& paths) {
  UnameInfo info;
  info.sysname = ReadKernelValue(paths, "ostype");
  info.release = ReadKernelValue(paths, "osrelease");
  info.version = ReadKernelValue(paths, "version");
  info.machine = ReadKernelValue(paths, "arch");
  info.nodename = ReadKernelValue(paths, "hostname");
  info.domainname = ReadKernelValue(paths, "domainname");
  return info;
}

void FillFromUtsname(UnameInfo& info, const struct utsname& uts) {
  FillIfEmpty(info.sysname, uts.sysname);
  FillIfEmpty(info.release, uts.release);
  FillIfEmpty(info.version, uts.version);
  FillIfEmpty(info.machine, uts.machine);
  FillIfEmpty(info.nodename, uts.nodename);
  FillIfEmpty(info.domainname, uts.domainname);
}

UnameCollector::UnameCollector(const common::Paths& paths)
    : paths_(paths),
      info_("node_uname_info",
            "Labeled system information as provided by the uname system call.",
            common::MetricType::kGauge,
            {"sysname", "release", "version", "machine", "nodename",
             "domainname"}) {}

void UnameCollector::Update(common::MetricSink& sink) {
  // On the live /proc the files say exactly what uname(2) says (both are per
  // UTS namespace), and one system call is far cheaper than six file reads.
  UnameInfo info;
  if (paths_.procfs != "/proc") info = ReadUnameFiles(paths_);
  if (info.sysname.empty() || info.release.empty() || info.version.empty() ||
      info.machine.empty() || info.nodename.empty() ||
      info.domainname.empty()) {
    // /proc/sys/kernel/arch is recent; older kernels and trimmed-down procfs
    // mounts get what is missing from the system call.
    struct utsname uts;
    if (::uname(&uts) != 0)
      throw std::system_error(errno, std::generic_category(), "uname");
    FillFromUtsname(info, uts);
  }
  sink.Add(info_, 1.0,
           {info.sysname, info.release, info.version, info.machine,
            info.nodename, info.domainname});
}

common::CollectorSpec UnameSpec() {
  return {.name = "uname",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<UnameCollector>(ctx.paths);
          }};
}

}  // namespace node_health
