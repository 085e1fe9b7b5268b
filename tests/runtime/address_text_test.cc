// Address::ip() (runtime/address.h): the text of PRIMARY_IP / LOCAL_IP. IPv4 is formatted by
// hand (glibc's inet_ntop goes through sprintf), so every octet width and the extremes are
// checked against inet_ntop's own output; IPv6 still goes through inet_ntop.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

#include "runtime/address.h"

namespace {

std::string ntop4(const fetch::Address &a) {
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(&a.storage)->sin_addr, buf, sizeof buf);
  return buf;
}

TEST(AddressText, Ipv4MatchesInetNtop) {
  for (const char *text : {"0.0.0.0", "127.0.0.1", "255.255.255.255", "10.0.12.1", "192.168.100.99",
                           "1.22.133.4", "100.10.1.0"}) {
    fetch::Address a;
    ASSERT_TRUE(fetch::parse_ip_literal(text, 80, a)) << text;
    EXPECT_EQ(a.ip(), text);
    EXPECT_EQ(a.ip(), ntop4(a));
    EXPECT_EQ(a.port(), 80);
  }
  // Every octet value in every position.
  for (int v = 0; v < 256; ++v) {
    const std::string text =
        std::to_string(v) + "." + std::to_string(255 - v) + ".7." + std::to_string((v * 37) % 256);
    fetch::Address a;
    ASSERT_TRUE(fetch::parse_ip_literal(text, 1, a)) << text;
    EXPECT_EQ(a.ip(), text);
  }
}

TEST(AddressText, Ipv6AndUnknownFamily) {
  fetch::Address a;
  ASSERT_TRUE(fetch::parse_ip_literal("[::1]", 443, a));
  EXPECT_EQ(a.ip(), "::1");
  ASSERT_TRUE(fetch::parse_ip_literal("2001:db8::ff00:42:8329", 443, a));
  EXPECT_EQ(a.ip(), "2001:db8::ff00:42:8329");
  EXPECT_EQ(fetch::Address{}.ip(), "");
}

}  // namespace
