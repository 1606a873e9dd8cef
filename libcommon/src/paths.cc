#include "common/paths.h"

namespace common {

std::string JoinPath(std::string_view base, std::string_view rel) {
  std::string out(base);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  while (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
  if (rel.empty()) return out;
  if (out != "/") out += '/';
  out += rel;
  return out;
}

std::string Paths::Proc(std::string_view rel) const {
  return JoinPath(procfs, rel);
}
std::string Paths::Sys(std::string_view rel) const {
  return JoinPath(sysfs, rel);
}
std::string Paths::Rootfs(std::string_view abs) const {
  return JoinPath(rootfs, abs);
}
std::string Paths::Udev(std::string_view rel) const {
  return JoinPath(udev_data, rel);
}

}  // namespace common
