# SPDX-License-Identifier: GPL-3.0-or-later
# Synthetic registry mirror, docs/formats.md CSV: awk -v rows=N -f this > persons.csv
# Deterministic (srand 42); synthetic people only. -v code=NN: the first two
# digits of every mã số BHXH (default 01-96 in turn); -v province=PPP: of
# every ID number (default 001); -v legacy=1: an empty 11th column
# (legacy_bhxh_code), as the demo's CSV has.
BEGIN {
  if (rows == "") rows = 1000000
  srand(42)
  nh = split("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý", ho, " ")
  nd = split("Văn Thị Hữu Đức Minh Thanh Ngọc Quốc Thu Kim Xuân Bảo", dem, " ")
  nt = split("An Bình Cường Dũng Giang Hà Hải Hạnh Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Ngọc Phúc Phương Quân Sơn Tâm Thảo Thủy Trang Trung Tuấn Vy Yến Đạt Ánh Ngân Hòa Khoa", ten, " ")
  nq = split("Ba Đình|Hoàn Kiếm|Tây Hồ|Long Biên|Cầu Giấy|Đống Đa|Hai Bà Trưng|Hoàng Mai|Thanh Xuân|Sóc Sơn|Đông Anh|Gia Lâm|Nam Từ Liêm|Thanh Trì|Hà Đông", quan, "|")
  if (province == "") province = "001"
  print "bhxh_code,id_number,old_id_number,full_name,birth_date,sex,address,office_code,account_status,account_since" (legacy ? ",legacy_bhxh_code" : "")
  for (i = 1; i <= rows; i++) {
    year = 1940 + int(rand() * 85)
    month = 1 + int(rand() * 12)
    day = 1 + int(rand() * 28)
    female = rand() < 0.5
    g = (year >= 2000 ? 2 : 0) + female
    q = 1 + int(rand() * nq)
    name = ho[1 + int(rand() * nh)] " " (female ? "Thị" : dem[1 + int(rand() * nd)]) " " ten[1 + int(rand() * nt)]
    r = rand()
    birth = r < 0.02 ? sprintf("%04d", year) : (r < 0.04 ? sprintf("%04d-%02d", year, month) : sprintf("%04d-%02d-%02d", year, month, day))
    idn = rand() < 0.05 ? "" : sprintf("%s%d%02d%06d", province, g, year % 100, int(rand() * 1000000))
    old = rand() < 0.3 ? sprintf("%09d", int(rand() * 1000000000)) : ""
    if (rand() < 0.3) { acc = "active"; since = sprintf("%04d-%02d-%02d", 2018 + int(rand() * 8), month, day) } else { acc = ""; since = "" }
    printf "%02d%08d,%s,%s,%s,%s,%s,\"Số %d ngõ %d, phường %d, quận %s, Hà Nội\",001%02d,%s,%s%s\n", \
      code != "" ? code : 1 + i % 96, i, idn, old, name, birth, (female ? "female" : "male"), \
      1 + int(rand() * 200), 1 + int(rand() * 300), 1 + int(rand() * 20), quan[q], q, acc, since, \
      (legacy ? "," : "")
  }
}
