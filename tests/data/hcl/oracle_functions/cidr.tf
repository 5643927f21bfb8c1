# IP network functions with IPv6 prefixes (and IPv4 for contrast).
output "cidr_v6_host" {
  value = [
    cidrhost("fd00:fd12:3456:7890::/56", 16),
    cidrhost("fd00:fd12:3456:7890:00a2::/72", 34),
    cidrhost("2001:db8::/32", 0),
    cidrhost("2001:db8::/64", -1),
    cidrhost("2001:db8::/64", 65535),
    cidrhost("2001:DB8:0:0:1::/80", 1),
    cidrhost("::/0", 1),
    cidrhost("2001:db8:0:1:1:1:1:1/128", 0),
    cidrhost("10.1.1.0/20", 300),
    cidrhost("10.0.0.0/8", -2),
  ]
}

output "cidr_v6_subnet" {
  value = [
    cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162),
    cidrsubnet("2001:db8::/32", 32, 1),
    cidrsubnet("2001:db8::/48", 8, 255),
    cidrsubnet("2001:db8:1234:5678::/64", 0, 0),
    cidrsubnet("2600:1f18:aaaa:bb00::/56", 8, 3),
    cidrsubnet("::/0", 64, 4294967296),
  ]
}

output "cidr_v6_subnets" {
  value = [
    cidrsubnets("fd00:fd12:3456:7800::/56", 8, 8, 16, 4),
    cidrsubnets("2001:db8::/126", 1, 1),
    cidrsubnets("8000::/1", 1, 2, 2),
    cidrsubnets("10.1.0.0/16", 4, 4, 8, 4),
  ]
}

output "cidr_v6_errors" {
  value = [
    can(cidrnetmask("2001:db8::/32")),
    can(cidrsubnet("2001:db8::/120", 9, 0)),
    can(cidrhost("2001:db8::/120", 256)),
    can(cidrsubnets("2001:db8::/127", 1, 1, 1)),
    can(cidrhost("2001:db8:::/64", 1)),
    cidrnetmask("172.16.0.0/12"),
  ]
}
