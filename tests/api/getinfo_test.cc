// fetch_easy_getinfo before any transfer, with values the runtime would record, and its errors.
#include <fetch/fetch.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "easy/easy_handle.h"
#include "easy_fixture.h"
#include "options/reset_dup.h"

namespace {

struct TsvInfo {
  std::string name;  // without FETCHINFO_
  long number = 0;
  std::string type;  // STRING, LONG, DOUBLE, SLIST, PTR, SOCKET, OFF_T
};

// The known infos (kind "info" or "alias") of tests/data/info.tsv.
std::vector<TsvInfo> read_infos_tsv() {
  std::ifstream in(FETCH_TEST_DATA_DIR "/info.tsv");
  std::vector<TsvInfo> out;
  std::string line;
  auto split = [](const std::string &text) {
    std::vector<std::string> cells;
    std::stringstream stream(text);
    std::string cell;
    while (std::getline(stream, cell, '\t')) cells.push_back(cell);
    return cells;
  };
  if (!std::getline(in, line)) return out;
  std::map<std::string, size_t> column;
  const auto header = split(line);
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  while (std::getline(in, line)) {
    auto cells = split(line);
    cells.resize(header.size());
    const std::string &kind = cells[column["kind"]];
    if (kind != "info" && kind != "alias") continue;
    out.push_back({cells[column["name_renamed"]].substr(10), std::stol(cells[column["number"]]),
                   cells[column["type"]]});
  }
  return out;
}

// Mirrors IMPLEMENTED_INFOS in api/gen/gen_options.py.
const std::set<std::string> kImplemented = {
    "EFFECTIVE_URL",
    "SCHEME",
    "PRIMARY_IP",
    "PRIMARY_PORT",
    "LOCAL_IP",
    "LOCAL_PORT",
    "NAMELOOKUP_TIME",
    "NAMELOOKUP_TIME_T",
    "CONNECT_TIME",
    "CONNECT_TIME_T",
    "TOTAL_TIME",
    "TOTAL_TIME_T",
    "OS_ERRNO",
    "PRIVATE",
    "NUM_CONNECTS",
    "CONN_ID",
    "XFER_ID",
    "ACTIVESOCKET",
    "LASTSOCKET",
    // HTTP (HTTP_CODE is RESPONSE_CODE's alias)
    "RESPONSE_CODE",
    "HTTP_CODE",
    "HTTP_VERSION",
    "CONTENT_TYPE",
    "CONTENT_LENGTH_DOWNLOAD_T",
    "CONTENT_LENGTH_UPLOAD_T",
    "SIZE_DOWNLOAD_T",
    "SIZE_DELIVERED",
    "SIZE_UPLOAD_T",
    "HEADER_SIZE",
    "REQUEST_SIZE",
    "EFFECTIVE_METHOD",
    "PRETRANSFER_TIME",
    "PRETRANSFER_TIME_T",
    "STARTTRANSFER_TIME",
    "STARTTRANSFER_TIME_T",
    "SPEED_DOWNLOAD_T",
    "SPEED_UPLOAD_T",
    "SIZE_DOWNLOAD",
    "SIZE_UPLOAD",
    "SPEED_DOWNLOAD",
    "SPEED_UPLOAD",
    "CONTENT_LENGTH_DOWNLOAD",
    "CONTENT_LENGTH_UPLOAD",
    // redirects (REDIRECT_URL needs the HTTP exchange hook: runtime/redirect.h)
    "REDIRECT_COUNT",
    "REDIRECT_URL",
    "REDIRECT_TIME",
    "REDIRECT_TIME_T",
    "REFERER",
    // request options (runtime/http_response_checks.h)
    "FILETIME",
    "FILETIME_T",
    "CONDITION_UNMET",
    "RETRY_AFTER",
    "HTTP_CONNECTCODE",
};

// FETCHINFO_LASTSOCKET is deprecated (ACTIVESOCKET replaces it) but still answered.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
constexpr FETCHINFO kLastSocket = FETCHINFO_LASTSOCKET;
#pragma GCC diagnostic pop

class Getinfo : public fetchtest::EasyFixture {};

TEST_F(Getinfo, BeforeAnyTransfer) {
  const char *url = get<char *>(FETCHINFO_EFFECTIVE_URL);
  ASSERT_NE(url, nullptr);
  EXPECT_STREQ(url, "");
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_URL, "http://example.com/x"), FETCHE_OK);
  EXPECT_STREQ(get<char *>(FETCHINFO_EFFECTIVE_URL), "http://example.com/x");
  EXPECT_EQ(get<char *>(FETCHINFO_SCHEME), nullptr);
  EXPECT_STREQ(get<char *>(FETCHINFO_PRIMARY_IP), "");
  EXPECT_STREQ(get<char *>(FETCHINFO_LOCAL_IP), "");
  EXPECT_EQ(get<long>(FETCHINFO_PRIMARY_PORT), 0);
  EXPECT_EQ(get<long>(FETCHINFO_LOCAL_PORT), 0);
  EXPECT_EQ(get<double>(FETCHINFO_NAMELOOKUP_TIME), 0.0);
  EXPECT_EQ(get<double>(FETCHINFO_CONNECT_TIME), 0.0);
  EXPECT_EQ(get<double>(FETCHINFO_TOTAL_TIME), 0.0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_NAMELOOKUP_TIME_T), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONNECT_TIME_T), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_TOTAL_TIME_T), 0);
  EXPECT_EQ(get<long>(FETCHINFO_OS_ERRNO), 0);
  EXPECT_EQ(get<long>(FETCHINFO_NUM_CONNECTS), 0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONN_ID), -1);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_XFER_ID), -1);
  EXPECT_EQ(get<char *>(FETCHINFO_PRIVATE), nullptr);
  fetch_socket_t socket = 12345;
  ASSERT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_ACTIVESOCKET, &socket), FETCHE_OK);
  EXPECT_EQ(socket, FETCH_SOCKET_BAD);
  EXPECT_EQ(get<long>(kLastSocket), -1);
}

TEST_F(Getinfo, ReportsWhatTheTransferRecorded) {
  fetch::TransferInfo &info = easy_->info;
  info.effective_url = "http://example.com/final";
  info.scheme = "HTTP";
  info.primary_ip = "127.0.0.1";
  info.primary_port = 8080;
  info.local_ip = "127.0.0.2";
  info.local_port = 40000;
  info.namelookup_us = 1500;
  info.connect_us = 250000;
  info.total_us = 3000000;
  info.os_errno = 111;
  info.num_connects = 2;
  info.conn_id = 7;
  info.xfer_id = 9;
  int marker = 0;
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_URL, "http://example.com/start"), FETCHE_OK);
  ASSERT_EQ(fetch_easy_setopt(handle_, FETCHOPT_PRIVATE, &marker), FETCHE_OK);

  EXPECT_STREQ(get<char *>(FETCHINFO_EFFECTIVE_URL), "http://example.com/final");
  EXPECT_STREQ(get<char *>(FETCHINFO_SCHEME), "HTTP");
  EXPECT_STREQ(get<char *>(FETCHINFO_PRIMARY_IP), "127.0.0.1");
  EXPECT_EQ(get<long>(FETCHINFO_PRIMARY_PORT), 8080);
  EXPECT_STREQ(get<char *>(FETCHINFO_LOCAL_IP), "127.0.0.2");
  EXPECT_EQ(get<long>(FETCHINFO_LOCAL_PORT), 40000);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_NAMELOOKUP_TIME), 0.0015);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_CONNECT_TIME), 0.25);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_TOTAL_TIME), 3.0);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_NAMELOOKUP_TIME_T), 1500);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONNECT_TIME_T), 250000);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_TOTAL_TIME_T), 3000000);
  EXPECT_EQ(get<long>(FETCHINFO_OS_ERRNO), 111);
  EXPECT_EQ(get<long>(FETCHINFO_NUM_CONNECTS), 2);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_CONN_ID), 7);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_XFER_ID), 9);
  EXPECT_EQ(static_cast<void *>(get<char *>(FETCHINFO_PRIVATE)), &marker);
}

// The double forms (deprecated in libcurl, still answered) mirror their _T forms: sizes in
// bytes, speeds in bytes per second, times in seconds. A libcurl program still using them gets
// the same numbers.
TEST_F(Getinfo, DoubleFormsMirrorTheOffTForms) {
  fetch::TransferInfo &info = easy_->info;
  info.size_download = 3000;
  info.size_upload = 1500;
  info.content_length_download = 3000;
  info.content_length_upload = -1;
  info.total_us = 2000000;
  info.redirect_us = 250000;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_SIZE_DOWNLOAD), 3000.0);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_SIZE_UPLOAD), 1500.0);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_CONTENT_LENGTH_DOWNLOAD), 3000.0);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_CONTENT_LENGTH_UPLOAD), -1.0);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_SPEED_DOWNLOAD), 1500.0);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_SPEED_UPLOAD), 750.0);
#pragma GCC diagnostic pop
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_DOWNLOAD_T), 1500);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_SPEED_UPLOAD_T), 750);
  EXPECT_DOUBLE_EQ(get<double>(FETCHINFO_REDIRECT_TIME), 0.25);
  EXPECT_EQ(get<fetch_off_t>(FETCHINFO_REDIRECT_TIME_T), 250000);
}

TEST_F(Getinfo, StringsPointIntoTheHandleUntilReset) {
  easy_->info.primary_ip = "::1";
  const char *ip = get<char *>(FETCHINFO_PRIMARY_IP);
  EXPECT_EQ(ip, easy_->info.primary_ip.c_str());
  fetch::options::reset_settings(*easy_);
  EXPECT_STREQ(get<char *>(FETCHINFO_PRIMARY_IP), "");
  EXPECT_STREQ(get<char *>(FETCHINFO_EFFECTIVE_URL), "");
}

TEST_F(Getinfo, NullHandleOrPointerIsABadArgument) {
  long value = 0;
  EXPECT_EQ(fetch_easy_getinfo(nullptr, FETCHINFO_LOCAL_PORT, &value),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  long not_a_handle[16] = {};
  EXPECT_EQ(fetch_easy_getinfo(static_cast<FETCH *>(not_a_handle), FETCHINFO_LOCAL_PORT, &value),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_LOCAL_PORT, static_cast<long *>(nullptr)),
            FETCHE_BAD_FUNCTION_ARGUMENT);
  EXPECT_EQ(fetch_easy_getinfo(handle_, FETCHINFO_RESPONSE_CODE, static_cast<long *>(nullptr)),
            FETCHE_BAD_FUNCTION_ARGUMENT);
}

TEST_F(Getinfo, UnknownItemsAreUnknownOptions) {
  long value = 0;
  for (long id : {0L, 0x100000L, 0x200001L, 0x100047L, 0x700001L, 0x20ffffL, 1L, -1L}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(fetch_easy_getinfo(handle_, static_cast<FETCHINFO>(id), &value),
              FETCHE_UNKNOWN_OPTION);
  }
}

TEST_F(Getinfo, EveryKnownInfoIsImplementedOrNotBuiltIn) {
  std::set<std::string> implemented;
  int not_built = 0;
  for (const TsvInfo &row : read_infos_tsv()) {
    SCOPED_TRACE(row.name);
    alignas(8) unsigned char out[16] = {};
    errbuf_[0] = '\0';
    const FETCHcode code = fetch_easy_getinfo(handle_, static_cast<FETCHINFO>(row.number), out);
    if (kImplemented.count(row.name) != 0) {
      EXPECT_EQ(code, FETCHE_OK);
      implemented.insert(row.name);
    } else {
      EXPECT_EQ(code, FETCHE_NOT_BUILT_IN);
      EXPECT_NE(std::string(errbuf_).find("not built"), std::string::npos) << errbuf_;
      ++not_built;
    }
  }
  EXPECT_EQ(implemented, kImplemented);
  EXPECT_GT(not_built, 20);  // the table was read (the count shrinks as infos land)
}

}  // namespace
