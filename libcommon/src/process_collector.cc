#include "common/process_collector.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "common/file_util.h"

namespace common {

ProcStat ParseProcStat(std::string_view text) {
  // The command name is in parentheses and may itself hold ") ", so the
  // fields start after the last ')'.
  size_t close = text.rfind(')');
  if (close == std::string_view::npos)
    throw ParseError("stat: no command field");
  auto f = SplitFields(Trim(text.substr(close + 1)));
  // f[0] is field 3 (state); utime is field 14, stime 15, starttime 22,
  // vsize 23, rss 24.
  if (f.size() < 22) throw ParseError("stat: too few fields");
  ProcStat s;
  s.utime_ticks = static_cast<double>(ParseUint64(f[11], "stat utime"));
  s.stime_ticks = static_cast<double>(ParseUint64(f[12], "stat stime"));
  s.start_ticks = static_cast<double>(ParseUint64(f[19], "stat starttime"));
  s.vsize_bytes = static_cast<double>(ParseUint64(f[20], "stat vsize"));
  s.rss_pages = static_cast<double>(ParseInt64(f[21], "stat rss"));
  return s;
}

ProcessCollector::ProcessCollector(std::string procfs)
    : self_(JoinPath(procfs, "self")),
      cpu_("process_cpu_seconds_total",
           "Total user and system CPU time spent in seconds.",
           MetricType::kCounter),
      resident_("process_resident_memory_bytes",
                "Resident memory size in bytes.", MetricType::kGauge),
      virtual_("process_virtual_memory_bytes", "Virtual memory size in bytes.",
               MetricType::kGauge),
      open_fds_("process_open_fds", "Number of open file descriptors.",
                MetricType::kGauge),
      max_fds_("process_max_fds", "Maximum number of open file descriptors.",
               MetricType::kGauge),
      start_time_("process_start_time_seconds",
                  "Start time of the process since unix epoch in seconds.",
                  MetricType::kGauge) {
  auto stat = ReadFile(JoinPath(procfs, "stat"));
  ForEachLine(stat, [&](std::string_view line) {
    if (ConsumePrefix(line, "btime "))
      boot_time_ = ParseDouble(Trim(line), "btime");
  });
}

void ProcessCollector::Update(MetricSink& sink) {
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  ProcStat s = ParseProcStat(ReadFile(self_ + "/stat"));
  sink.Add(cpu_, (s.utime_ticks + s.stime_ticks) / ticks);
  sink.Add(resident_, s.rss_pages * page);
  sink.Add(virtual_, s.vsize_bytes);
  sink.Add(start_time_, boot_time_ + s.start_ticks / ticks);

  // Since Linux 6.2 the size of /proc/<pid>/fd is the number of open
  // descriptors: one stat(2) instead of listing the directory, which makes
  // the kernel build a dentry per descriptor. Older kernels report 0.
  std::string fd_dir = self_ + "/fd";
  struct stat st {};
  if (::stat(fd_dir.c_str(), &st) == 0 && st.st_size > 0) {
    sink.Add(open_fds_, static_cast<double>(st.st_size));
  } else if (DIR* d = opendir(fd_dir.c_str())) {
    double n = 0;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') ++n;
    }
    closedir(d);
    sink.Add(open_fds_, n - 1);  // minus the descriptor of the listing itself
  }
  // The soft limit as /proc/self/limits shows it, without parsing the file.
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    sink.Add(max_fds_, rl.rlim_cur == RLIM_INFINITY
                           ? -1
                           : static_cast<double>(rl.rlim_cur));
  }
}

}  // namespace common
