#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/paths.h"

namespace test {

// A temporary directory laid out like the fixture tree (proc/, sys/, ...),
// for tests that change files between two scrapes or need a file absent.
// Removed with its contents on destruction.
class ScratchTree {
 public:
  ScratchTree() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "vigil-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    root_ = tmpl;
  }
  ~ScratchTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  ScratchTree(const ScratchTree&) = delete;
  ScratchTree& operator=(const ScratchTree&) = delete;

  // Writes `content` to `rel` (e.g. "proc/stat"), creating parent
  // directories.
  void Write(std::string_view rel, std::string_view content) const {
    std::filesystem::path p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
  }

  // Removes `rel`.
  void Remove(std::string_view rel) const {
    std::filesystem::remove(root_ / rel);
  }

  // Paths rooted here: procfs = <root>/proc, sysfs = <root>/sys, ...
  common::Paths paths() const {
    common::Paths p;
    p.procfs = (root_ / "proc").string();
    p.sysfs = (root_ / "sys").string();
    p.rootfs = (root_ / "rootfs").string();
    p.udev_data = (root_ / "udev/data").string();
    return p;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace test
