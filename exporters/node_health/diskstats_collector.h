#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/collector.h"
#include "common/filter.h"

namespace node_health {

// The most statistics a /proc/diskstats line has (kernel 5.5+); columns a
// newer kernel appends after them are ignored.
inline constexpr size_t kDiskstatsMaxStats = 17;

// One line of /proc/diskstats. `device` points into the parsed text.
struct DiskstatsLine {
  uint32_t major = 0;
  uint32_t minor = 0;
  std::string_view device;
  // The statistics in kernel order (reads completed, reads merged, sectors
  // read, ms reading, writes ..., I/Os in progress, ms doing I/O, weighted
  // ms, discards ..., flushes, ms flushing); only the first `count` are set.
  std::array<uint64_t, kDiskstatsMaxStats> stats{};
  size_t count = 0;  // 11 (before 4.18), 15 (4.18+) or 17 (5.5+)
};

// Parses /proc/diskstats. Throws common::ParseError on a line with fewer
// than 14 fields or a field that is not a number.
std::vector<DiskstatsLine> ParseDiskstats(std::string_view text);

// The udev properties node_disk_info reports for one block device.
struct UdevDiskInfo {
  std::string path;   // ID_PATH
  std::string wwn;    // ID_WWN
  std::string model;  // ID_MODEL
  std::string
      serial;  // SCSI_IDENT_SERIAL, else ID_SERIAL_SHORT, else ID_SERIAL
  std::string revision;  // ID_REVISION
  // node_disk_filesystem_info: ID_FS_TYPE, ID_FS_USAGE, ID_FS_UUID,
  // ID_FS_VERSION (reported when ID_FS_TYPE is set).
  std::string fs_type, fs_usage, fs_uuid, fs_version;
  // node_disk_device_mapper_info: DM_NAME, DM_UUID, DM_VG_NAME, DM_LV_NAME,
  // DM_LV_LAYER (reported when DM_NAME is set).
  std::string dm_name, dm_uuid, dm_vg_name, dm_lv_name, dm_lv_layer;
  // ID_ATA_WRITE_CACHE, ID_ATA_WRITE_CACHE_ENABLED, ID_ATA_ROTATION_RATE_RPM;
  // empty when absent.
  std::string ata_write_cache, ata_write_cache_enabled, ata_rotation_rate_rpm;
};

// Parses a udev database file (/run/udev/data/b<major>:<minor>), reading its
// "E:KEY=value" property lines. Never throws: other lines are ignored.
UdevDiskInfo ParseUdevDiskInfo(std::string_view text);

// Options of the diskstats collector, bound to its flags.
struct DiskstatsOptions {
  static constexpr const char* kDefaultExclude =
      "^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";
  std::string device_include;
  std::string device_exclude = kDefaultExclude;
};

// node_disk_* counters from /proc/diskstats and node_disk_info from the udev
// database and /sys/block/<dev>/queue/rotational, for every device that
// passes the device filter.
class DiskstatsCollector : public common::Collector {
 public:
  // Throws std::invalid_argument if the device patterns are invalid or both
  // are given (an include pattern replaces the default exclude one).
  DiskstatsCollector(const common::Paths& paths,
                     const DiskstatsOptions& options);
  void Update(common::MetricSink& sink) override;

 private:
  // What node_disk_info and friends say of one device: udev properties and
  // the rotational flag. They change only when a device is replaced, so they
  // are read once per device and refreshed every kInfoRefresh, not per scrape.
  struct DeviceInfo {
    uint64_t major_num = 0, minor_num = 0;
    std::string major, minor;
    UdevDiskInfo udev;
    std::string rotational;
    std::chrono::steady_clock::time_point loaded;
  };
  static constexpr std::chrono::seconds kInfoRefresh{60};
  static constexpr size_t kMaxCachedDevices = 1024;
  std::shared_ptr<const DeviceInfo> InfoOf(const DiskstatsLine& d);

  common::Paths paths_;
  std::string diskstats_path_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const DeviceInfo>>
      info_cache_;  // by device
  common::RegexFilter filter_;
  std::vector<common::Desc> stat_descs_;  // one per DiskstatsLine::stats index
  std::array<double, kDiskstatsMaxStats> scale_{};
  common::Desc info_;
  common::Desc filesystem_info_, device_mapper_info_;
  common::Desc ata_write_cache_, ata_write_cache_enabled_, ata_rotation_rate_;
};

// The spec of the diskstats collector (enabled by default).
common::CollectorSpec DiskstatsSpec();

}  // namespace node_health
