#include "diskstats_collector.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "common/file_util.h"

namespace node_health {
namespace {

// Sectors in /proc/diskstats are always 512 bytes, whatever the device's
// block size (Documentation/admin-guide/iostats.rst).
constexpr double kSectorBytes = 512.0;
constexpr double kSecondsPerMs = 1.0 / 1000.0;

struct StatDef {
  const char* name;
  const char* help;
  common::MetricType type;
  double scale;
};

// In kernel column order; HELP texts as node_exporter's.
constexpr StatDef kStatDefs[kDiskstatsMaxStats] = {
    {"node_disk_reads_completed_total",
     "The total number of reads completed successfully.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_reads_merged_total", "The total number of reads merged.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_read_bytes_total",
     "The total number of bytes read successfully.",
     common::MetricType::kCounter, kSectorBytes},
    {"node_disk_read_time_seconds_total",
     "The total number of seconds spent by all reads.",
     common::MetricType::kCounter, kSecondsPerMs},
    {"node_disk_writes_completed_total",
     "The total number of writes completed successfully.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_writes_merged_total", "The number of writes merged.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_written_bytes_total",
     "The total number of bytes written successfully.",
     common::MetricType::kCounter, kSectorBytes},
    {"node_disk_write_time_seconds_total",
     "This is the total number of seconds spent by all writes.",
     common::MetricType::kCounter, kSecondsPerMs},
    {"node_disk_io_now", "The number of I/Os currently in progress.",
     common::MetricType::kGauge, 1.0},
    {"node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.",
     common::MetricType::kCounter, kSecondsPerMs},
    {"node_disk_io_time_weighted_seconds_total",
     "The weighted # of seconds spent doing I/Os.",
     common::MetricType::kCounter, kSecondsPerMs},
    {"node_disk_discards_completed_total",
     "The total number of discards completed successfully.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_discards_merged_total", "The total number of discards merged.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_discarded_sectors_total",
     "The total number of sectors discarded successfully.",
     common::MetricType::kCounter, 1.0},
    {"node_disk_discard_time_seconds_total",
     "This is the total number of seconds spent by all discards.",
     common::MetricType::kCounter, kSecondsPerMs},
    {"node_disk_flush_requests_total",
     "The total number of flush requests completed successfully",
     common::MetricType::kCounter, 1.0},
    {"node_disk_flush_requests_time_seconds_total",
     "This is the total number of seconds spent by all flush requests.",
     common::MetricType::kCounter, kSecondsPerMs},
};

// Fields before the statistics: major, minor, device name.
constexpr size_t kHeadFields = 3;
constexpr size_t kMinFields = kHeadFields + 11;

uint32_t ParseDeviceNumber(std::string_view s, std::string_view what) {
  uint64_t v = common::ParseUint64(s, what);
  if (v > UINT32_MAX) {
    throw common::ParseError(std::string(what) +
                             ": device number out of range: \"" +
                             std::string(s) + "\"");
  }
  return static_cast<uint32_t>(v);
}

// Reads a small optional file, treating any failure (absent, unreadable) as
// absent: the info labels it feeds must not fail the whole collector.
std::string ReadBestEffort(const std::string& path) {
  try {
    auto text = common::ReadOptionalFile(path);
    return text ? *text : std::string();
  } catch (const common::FileError&) {
    return {};
  }
}

}  // namespace

std::vector<DiskstatsLine> ParseDiskstats(std::string_view text) {
  std::vector<DiskstatsLine> out;
  std::vector<std::string_view> f;
  size_t line_no = 0;
  common::ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    common::SplitFieldsInto(line, f);
    if (f.empty()) return;
    std::string where = "diskstats: line " + std::to_string(line_no);
    if (f.size() < kMinFields) {
      throw common::ParseError(where + ": expected at least " +
                               std::to_string(kMinFields) + " fields, got " +
                               std::to_string(f.size()));
    }
    DiskstatsLine d;
    d.major = ParseDeviceNumber(f[0], where);
    d.minor = ParseDeviceNumber(f[1], where);
    d.device = f[2];
    d.count = std::min(f.size() - kHeadFields, kDiskstatsMaxStats);
    for (size_t i = 0; i < d.count; ++i) {
      d.stats[i] = common::ParseUint64(f[kHeadFields + i], where);
    }
    out.push_back(d);
  });
  return out;
}

UdevDiskInfo ParseUdevDiskInfo(std::string_view text) {
  UdevDiskInfo info;
  std::string_view scsi_serial, serial_short, serial;
  common::ForEachLine(text, [&](std::string_view line) {
    if (!common::ConsumePrefix(line, "E:")) return;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return;
    std::string_view key = line.substr(0, eq);
    std::string_view value = line.substr(eq + 1);
    if (key == "ID_PATH") {
      info.path = value;
    } else if (key == "ID_WWN") {
      info.wwn = value;
    } else if (key == "ID_MODEL") {
      info.model = value;
    } else if (key == "ID_REVISION") {
      info.revision = value;
    } else if (key == "SCSI_IDENT_SERIAL") {
      scsi_serial = value;
    } else if (key == "ID_SERIAL_SHORT") {
      serial_short = value;
    } else if (key == "ID_SERIAL") {
      serial = value;
    } else if (key.starts_with("ID_FS_")) {
      if (key == "ID_FS_TYPE") info.fs_type = value;
      if (key == "ID_FS_USAGE") info.fs_usage = value;
      if (key == "ID_FS_UUID") info.fs_uuid = value;
      if (key == "ID_FS_VERSION") info.fs_version = value;
    } else if (key.starts_with("DM_")) {
      if (key == "DM_NAME") info.dm_name = value;
      if (key == "DM_UUID") info.dm_uuid = value;
      if (key == "DM_VG_NAME") info.dm_vg_name = value;
      if (key == "DM_LV_NAME") info.dm_lv_name = value;
      if (key == "DM_LV_LAYER") info.dm_lv_layer = value;
    } else if (key == "ID_ATA_WRITE_CACHE") {
      info.ata_write_cache = value;
    } else if (key == "ID_ATA_WRITE_CACHE_ENABLED") {
      info.ata_write_cache_enabled = value;
    } else if (key == "ID_ATA_ROTATION_RATE_RPM") {
      info.ata_rotation_rate_rpm = value;
    }
  });
  // The serial printed on the disk label first, as node_exporter; virtio
  // disks only have ID_SERIAL.
  if (!scsi_serial.empty()) {
    info.serial = scsi_serial;
  } else if (!serial_short.empty()) {
    info.serial = serial_short;
  } else {
    info.serial = serial;
  }
  return info;
}

DiskstatsCollector::DiskstatsCollector(const common::Paths& paths,
                                       const DiskstatsOptions& options)
    : paths_(paths),
      diskstats_path_(paths.Proc("diskstats")),
      // The default exclude pattern would make any include pattern an error;
      // an include pattern given alone replaces it.
      filter_(
          options.device_include,
          options.device_include.empty() ||
                  options.device_exclude != DiskstatsOptions::kDefaultExclude
              ? options.device_exclude
              : std::string(),
          "--collector.diskstats.device"),
      info_("node_disk_info", "Info of /sys/block/<block_device>.",
            common::MetricType::kGauge,
            {"device", "major", "minor", "path", "wwn", "model", "serial",
             "revision", "rotational"}),
      filesystem_info_("node_disk_filesystem_info",
                       "Info about disk filesystem.",
                       common::MetricType::kGauge,
                       {"device", "type", "usage", "uuid", "version"}),
      device_mapper_info_(
          "node_disk_device_mapper_info", "Info about disk device mapper.",
          common::MetricType::kGauge,
          {"device", "name", "uuid", "vg_name", "lv_name", "lv_layer"}),
      ata_write_cache_("node_disk_ata_write_cache",
                       "ATA disk has a write cache.",
                       common::MetricType::kGauge, {"device"}),
      ata_write_cache_enabled_("node_disk_ata_write_cache_enabled",
                               "ATA disk has its write cache enabled.",
                               common::MetricType::kGauge, {"device"}),
      ata_rotation_rate_("node_disk_ata_rotation_rate_rpm",
                         "ATA disk rotation rate in RPMs (0 for SSDs).",
                         common::MetricType::kGauge, {"device"}) {
  stat_descs_.reserve(kDiskstatsMaxStats);
  for (size_t i = 0; i < kDiskstatsMaxStats; ++i) {
    stat_descs_.emplace_back(kStatDefs[i].name, kStatDefs[i].help,
                             kStatDefs[i].type,
                             std::vector<std::string>{"device"});
    scale_[i] = kStatDefs[i].scale;
  }
}

std::shared_ptr<const DiskstatsCollector::DeviceInfo>
DiskstatsCollector::InfoOf(const DiskstatsLine& d) {
  auto now = std::chrono::steady_clock::now();
  std::string key(d.device);
  {
    std::lock_guard lock(mu_);
    auto it = info_cache_.find(key);
    if (it != info_cache_.end() && it->second->major_num == d.major &&
        it->second->minor_num == d.minor &&
        now - it->second->loaded < kInfoRefresh) {
      return it->second;
    }
  }
  auto info = std::make_shared<DeviceInfo>();
  info->major_num = d.major;
  info->minor_num = d.minor;
  info->major = std::to_string(d.major);
  info->minor = std::to_string(d.minor);
  info->udev = ParseUdevDiskInfo(
      ReadBestEffort(paths_.Udev("b" + info->major + ":" + info->minor)));
  // sysfs spells a '/' in a device name (cciss/c0d0) as '!'.
  std::string sys_name(d.device);
  std::replace(sys_name.begin(), sys_name.end(), '/', '!');
  info->rotational = std::string(common::Trim(
      ReadBestEffort(paths_.Sys("block/" + sys_name + "/queue/rotational"))));
  info->loaded = now;
  std::lock_guard lock(mu_);
  // Devices come and go (loop, dm); drop the table rather than let it grow.
  if (info_cache_.size() >= kMaxCachedDevices) info_cache_.clear();
  info_cache_[key] = info;
  return info;
}

void DiskstatsCollector::Update(common::MetricSink& sink) {
  auto text = common::ReadOptionalFile(diskstats_path_);
  if (!text) throw common::NoDataError(diskstats_path_ + " does not exist");
  for (const DiskstatsLine& d : ParseDiskstats(*text)) {
    if (!filter_.Allows(d.device)) continue;

    std::shared_ptr<const DeviceInfo> dev = InfoOf(d);
    const UdevDiskInfo& udev = dev->udev;
    const std::string& major = dev->major;
    const std::string& minor = dev->minor;
    const std::string& rotational = dev->rotational;
    sink.Add(info_, 1.0,
             {d.device, major, minor, udev.path, udev.wwn, udev.model,
              udev.serial, udev.revision, rotational});
    if (!udev.fs_type.empty()) {
      sink.Add(filesystem_info_, 1.0,
               {d.device, udev.fs_type, udev.fs_usage, udev.fs_uuid,
                udev.fs_version});
    }
    if (!udev.dm_name.empty()) {
      sink.Add(device_mapper_info_, 1.0,
               {d.device, udev.dm_name, udev.dm_uuid, udev.dm_vg_name,
                udev.dm_lv_name, udev.dm_lv_layer});
    }
    // Numeric udev properties that do not parse are left out, as node_exporter.
    double v;
    if (common::TryParseDouble(udev.ata_write_cache, v))
      sink.Add(ata_write_cache_, v, {d.device});
    if (common::TryParseDouble(udev.ata_write_cache_enabled, v)) {
      sink.Add(ata_write_cache_enabled_, v, {d.device});
    }
    if (common::TryParseDouble(udev.ata_rotation_rate_rpm, v)) {
      sink.Add(ata_rotation_rate_, v, {d.device});
    }

    for (size_t i = 0; i < d.count; ++i) {
      sink.Add(stat_descs_[i], static_cast<double>(d.stats[i]) * scale_[i],
               {d.device});
    }
  }
}

common::CollectorSpec DiskstatsSpec() {
  auto opts = std::make_shared<DiskstatsOptions>();
  return {
      .name = "diskstats",
      .enabled_by_default = true,
      .add_flags =
          [opts](CLI::App& app) {
            app.add_option(
                   "--collector.diskstats.device-include", opts->device_include,
                   "Regexp of diskstats devices to include (mutually exclusive "
                   "to device-exclude).")
                ->capture_default_str()
                ->group("Collector options");
            app.add_option(
                   "--collector.diskstats.device-exclude", opts->device_exclude,
                   "Regexp of diskstats devices to exclude (mutually exclusive "
                   "to device-include).")
                ->capture_default_str()
                ->group("Collector options");
          },
      .factory =
          [opts](const common::CollectorContext& ctx) {
            return std::make_unique<DiskstatsCollector>(ctx.paths, *opts);
          }};
}

}  // namespace node_health
