#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"
#include "common/file_util.h"
#include "common/filter.h"

namespace node_health {

// One line of /proc/<pid>/mountinfo.
struct MountEntry {
  std::string device;      // mount source, e.g. /dev/sda1
  std::string mountpoint;  // unescaped (\040 -> ' ')
  std::string fstype;
  std::string major;
  std::string minor;
  bool readonly = false;  // "ro" in the per-mount options
};

// Parses mountinfo text. Throws common::ParseError naming the line.
std::vector<MountEntry> ParseMountinfo(std::string_view text);

// Parses a Go-style duration ("5s", "500ms", "1m30s", "2.5s").
// Throws std::invalid_argument.
std::chrono::milliseconds ParseDuration(std::string_view text);

// Options of the filesystem collector, bound to its flags.
struct FilesystemOptions {
  std::string mount_points_include;
  std::string mount_points_exclude =
      "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/"
      "storage/.+)($|/)";
  std::string fs_types_include;
  std::string fs_types_exclude =
      "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|"
      "fusectl|hugetlbfs|"
      "iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|"
      "selinuxfs|"
      "squashfs|erofs|sysfs|tracefs)$";
  std::string mount_timeout = "5s";
  int stat_workers = 4;
};

// Runs statfs(2) calls on worker threads so that a hung mount (a dead NFS
// server, a stopped FUSE daemon) never blocks a scrape past the timeout. A
// call still running at the deadline marks its path stuck: later batches skip
// it until the call returns. Threads blocked in statfs are never joined; at
// most kMaxStuckThreads of them exist, beyond which stuck workers are not
// replaced. Thread-safe.
class StatfsPool {
 public:
  static constexpr size_t kMaxStuckThreads = 8;

  struct Result {
    enum class State {
      kOk,
      kError,
      kTimeout,
      kStuck,
      kSkipped
    } state = State::kSkipped;
    int error = 0;  // errno when kError
    double size = 0, free = 0, avail = 0, files = 0,
           files_free = 0;  // bytes, inodes
    bool readonly = false;  // ST_RDONLY
  };

  StatfsPool(size_t workers, std::chrono::milliseconds timeout);
  ~StatfsPool();

  // A batch handed to the workers by Submit, finished by Wait.
  struct Pending {
    std::shared_ptr<void> batch;
    std::vector<std::string> paths;
    std::chrono::steady_clock::time_point deadline;
  };

  // Hands statfs of every path to the workers and returns at once; Wait
  // gives up at `deadline` (the pool's timeout from now by default).
  Pending Submit(std::vector<std::string> paths);
  Pending Submit(std::vector<std::string> paths,
                 std::chrono::steady_clock::time_point deadline);

  // Waits for a submitted batch until the timeout (counted from Submit).
  std::vector<Result> Wait(const Pending& pending);

  // Stats every path, waiting at most the timeout for all of them.
  std::vector<Result> Run(const std::vector<std::string>& paths);

  // Threads currently blocked past their deadline.
  size_t StuckThreads() const;

  // How long Wait waits for a batch, counted from Submit.
  std::chrono::milliseconds timeout() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// node_filesystem_* for every mount in /proc/1/mountinfo that passes the
// mount point and filesystem type filters, statfs'd under --path.rootfs.
class FilesystemCollector : public common::Collector {
 public:
  FilesystemCollector(const common::Paths& paths,
                      const FilesystemOptions& options);
  // Starts statfs of the last scrape's mounts, so that the workers run while
  // the other collectors do and Update rarely waits.
  void Begin(common::MetricSink& sink) override;
  void Update(common::MetricSink& sink) override;

 private:
  // The mounts that pass the filters, mount points as the host sees them;
  // mountinfo is read and parsed again only when the mount table changed.
  std::vector<MountEntry> Mounts();
  // Of `mounts`, those that pass the filters, mount points without the
  // --path.rootfs prefix, each (mount point, device) once.
  std::vector<MountEntry> Kept(std::vector<MountEntry> mounts) const;

  common::Paths paths_;
  common::RegexFilter mount_points_;
  common::RegexFilter fs_types_;
  StatfsPool pool_;
  std::mutex mu_;
  std::vector<std::string> last_paths_;  // what the last scrape stat'ed
  // Batches Begin started, by the sink of their scrape; at most kMaxBegun.
  static constexpr size_t kMaxBegun = 64;
  std::vector<std::pair<const common::MetricSink*, StatfsPool::Pending>> begun_;
  // Batches no scrape will wait for (evicted, or their scrape failed). A
  // later Update settles each once its deadline has passed, which marks a
  // mount that hung in it as stuck and replaces its worker.
  std::vector<StatfsPool::Pending> orphans_;
  void Orphan(StatfsPool::Pending pending);  // with mu_ held
  void SettleOrphans();                      // without mu_
  common::Desc size_, free_, avail_, files_, files_free_, readonly_,
      device_error_, mount_info_;
  std::mutex mounts_mu_;  // guards the four below
  common::MountTableFile mountinfo_, self_mountinfo_;
  bool no_pid1_ = false;  // /proc/1/mountinfo absent: read self/mountinfo
  std::vector<MountEntry> mounts_;  // Mounts() of the last read
};

// The spec of the filesystem collector and its flags.
common::CollectorSpec FilesystemSpec();

}  // namespace node_health
