#pragma once

#include <string>
#include <string_view>

namespace common {

// Where an exporter reads the host from: --path.procfs, --path.sysfs,
// --path.rootfs and --path.udev.data. A sidecar points these at the host's
// files mounted into the container; tests point them at fixture trees.
struct Paths {
  std::string procfs = "/proc";
  std::string sysfs = "/sys";
  std::string rootfs = "/";
  std::string udev_data = "/run/udev/data";

  // `rel` below procfs, e.g. Proc("net/dev") -> "/proc/net/dev".
  std::string Proc(std::string_view rel) const;
  // `rel` below sysfs.
  std::string Sys(std::string_view rel) const;
  // An absolute host path (a mount point) below rootfs.
  std::string Rootfs(std::string_view abs) const;
  // `rel` below the udev data directory.
  std::string Udev(std::string_view rel) const;
};

// Joins `base` and `rel` with exactly one '/' between them.
std::string JoinPath(std::string_view base, std::string_view rel);

}  // namespace common
