#include "common/file_util.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace common {

FileError::FileError(const std::string& path, int error_code)
    : std::runtime_error(path + ": " + std::strerror(error_code)),
      error_code_(error_code) {}

namespace {

// Open descriptors of procfs and sysfs files, read again from offset 0 on
// every scrape: their content is generated at read time, and keeping them
// open saves the path walk of open(2) and close(2), about a third of the
// kernel time of a scrape. Files on real filesystems (textfiles, os-release)
// are never kept, since a rename would leave a stale inode behind.
class DescriptorCache {
 public:
  static constexpr size_t kMaxEntries = 256;

  // Reads `path` into `out` through a kept descriptor. Returns false if the
  // file is not kept (yet), leaving `out` untouched.
  bool Read(const std::string& path, std::string& out) {
    std::shared_ptr<Entry> e;
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(path);
      if (it == entries_.end()) return false;
      e = it->second;
    }
    std::lock_guard lock(e->mu);
    if (ReadAll(e->fd, out, /*kept=*/true) == 0) return true;
    // The file went away (device unplugged, ENODEV) or the descriptor went
    // bad: forget it and let the caller open the path afresh.
    Forget(path);
    return false;
  }

  // Offers `fd` (just opened for `path`) to the cache. Returns true if the
  // cache took ownership.
  bool Offer(const std::string& path, int fd) {
    struct statfs st;
    if (::fstatfs(fd, &st) != 0) return false;
    if (st.f_type != PROC_SUPER_MAGIC && st.f_type != SYSFS_MAGIC) return false;
    std::lock_guard lock(mu_);
    if (entries_.size() >= kMaxEntries || entries_.count(path)) return false;
    entries_.emplace(path, std::make_shared<Entry>(fd));
    return true;
  }

  // Reads all of `fd` into `out`, to EOF. Returns 0 or an errno. A kept
  // descriptor (`kept`) is read with pread from offset 0; a fresh one with
  // read(2), so that pipes and FIFOs work too. A short read is not the end:
  // seq_file hands out about a page per call (a large mountinfo).
  static int ReadAll(int fd, std::string& out, bool kept = false) {
    out.clear();
    // Most files fit the stack buffer, which saves zero-filling a resized
    // string.
    char buf[16384];
    off_t offset = 0;
    for (;;) {
      ssize_t n = kept ? ::pread(fd, buf, sizeof(buf), offset)
                       : ::read(fd, buf, sizeof(buf));
      if (n < 0) {
        if (errno == EINTR) continue;
        out.clear();
        return errno;
      }
      if (n == 0) return 0;
      out.append(buf, static_cast<size_t>(n));
      offset += n;
    }
  }

 private:
  struct Entry {
    explicit Entry(int f) : fd(f) {}
    ~Entry() { ::close(fd); }
    int fd;
    std::mutex mu;
  };
  void Forget(const std::string& path) {
    std::lock_guard lock(mu_);
    entries_.erase(path);
  }

  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;
};

DescriptorCache& Descriptors() {
  static DescriptorCache* cache = new DescriptorCache;  // never destroyed
  return *cache;
}

}  // namespace

void ReadFileInto(const std::string& path, std::string& out) {
  if (Descriptors().Read(path, out)) return;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(path, errno);
  int err = DescriptorCache::ReadAll(fd, out);
  if (err != 0) {
    ::close(fd);
    throw FileError(path, err);
  }
  if (!Descriptors().Offer(path, fd)) ::close(fd);
}

std::string ReadFile(const std::string& path) {
  std::string out;
  ReadFileInto(path, out);
  return out;
}

std::optional<std::string> ReadOptionalFile(const std::string& path) {
  try {
    return ReadFile(path);
  } catch (const FileError& e) {
    if (e.error_code() == ENOENT || e.error_code() == ENOTDIR)
      return std::nullopt;
    throw;
  }
}

MountTableFile::~MountTableFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool MountTableFile::ReadIfChanged(std::string& out) {
  if (fd_ >= 0 && fresh_) {
    // The event is consumed by this poll; a change after it shows in the
    // read below or wakes the next poll.
    pollfd p{.fd = fd_, .events = POLLPRI, .revents = 0};
    int n = ::poll(&p, 1, 0);
    if (n == 0 || (n == 1 && !(p.revents & (POLLPRI | POLLERR | POLLNVAL))))
      return false;
  }
  fresh_ = false;
  if (fd_ < 0) {
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw FileError(path_, errno);
    struct statfs st;
    bool watchable = ::fstatfs(fd, &st) == 0 && st.f_type == PROC_SUPER_MAGIC;
    if (!watchable) {
      int err = DescriptorCache::ReadAll(fd, out);
      ::close(fd);
      if (err != 0) throw FileError(path_, err);
      return true;
    }
    fd_ = fd;
  }
  if (int err = DescriptorCache::ReadAll(fd_, out, /*kept=*/true); err != 0) {
    ::close(fd_);
    fd_ = -1;
    throw FileError(path_, err);
  }
  fresh_ = true;
  return true;
}

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out = "\"";
  for (unsigned char c : s.substr(0, kMax)) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::string_view Trim(std::string_view s) {
  auto ws = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  size_t b = 0, e = s.size();
  while (b < e && ws(s[b])) ++b;
  while (e > b && ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string ReadTrimmed(const std::string& path) {
  return std::string(Trim(ReadFile(path)));
}

void SplitFieldsInto(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  size_t pos = 0;
  for (auto f = NextField(s, pos); !f.empty(); f = NextField(s, pos))
    out.push_back(f);
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> out;
  SplitFieldsInto(s, out);
  return out;
}

namespace {

[[noreturn]] void ThrowParse(std::string_view s, std::string_view what,
                             std::string_view kind) {
  throw ParseError(std::string(what) + ": expected " + std::string(kind) +
                   ", got " + Quote(s));
}

}  // namespace

bool TryParseUint64(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

uint64_t ParseUint64(std::string_view s, std::string_view what) {
  uint64_t v;
  if (!TryParseUint64(s, v)) ThrowParse(s, what, "an unsigned integer");
  return v;
}

int64_t ParseInt64(std::string_view s, std::string_view what) {
  int64_t v;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size()) {
    ThrowParse(s, what, "an integer");
  }
  return v;
}

bool TryParseDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  // from_chars takes neither a leading '+' nor Go's "Inf"/"NaN" spellings.
  if (body == "Inf" || body == "inf" || body == "+Inf") {
    out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (body == "NaN" || body == "nan") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (body.empty() || body[0] == '+' || body[0] == '-') return false;
  auto res = std::from_chars(body.data(), body.data() + body.size(), out);
  if (res.ec != std::errc() || res.ptr != body.data() + body.size())
    return false;
  if (negative) out = -out;
  return true;
}

double ParseDouble(std::string_view s, std::string_view what) {
  double v;
  if (!TryParseDouble(s, v)) ThrowParse(s, what, "a number");
  return v;
}

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace common
