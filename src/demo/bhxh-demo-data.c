/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reference tables of the demo generator: Vietnamese names with their
 * approximate frequencies, Hà Nội (and a little of Hồ Chí Minh and Đà Nẵng)
 * places, and the demo office tree. Place names are real geography; every
 * person built from them is synthetic. */
#include "config.h"

#include "bhxh-demo-private.h"

#define TABLE(name, ...) \
  static const DemoWord name##_words[] = { __VA_ARGS__ }; \
  const DemoTable name = { name##_words, G_N_ELEMENTS (name##_words) }

/* Family names: roughly the published shares (Nguyễn ~38 %). */
TABLE (demo_family_names,
  { "Nguyễn", NULL, 380 }, { "Trần", NULL, 110 }, { "Lê", NULL, 95 },
  { "Phạm", NULL, 70 }, { "Hoàng", NULL, 35 }, { "Huỳnh", NULL, 16 },
  { "Phan", NULL, 45 }, { "Vũ", NULL, 30 }, { "Võ", NULL, 10 },
  { "Đặng", NULL, 21 }, { "Bùi", NULL, 20 }, { "Đỗ", NULL, 14 },
  { "Hồ", NULL, 13 }, { "Ngô", NULL, 13 }, { "Dương", NULL, 10 },
  { "Lý", NULL, 5 }, { "Đinh", NULL, 12 }, { "Trịnh", NULL, 10 },
  { "Đoàn", NULL, 9 }, { "Lương", NULL, 7 }, { "Mai", NULL, 6 },
  { "Cao", NULL, 6 }, { "Trương", NULL, 6 }, { "Lâm", NULL, 4 },
  { "Tạ", NULL, 4 }, { "Hà", NULL, 5 }, { "Chu", NULL, 4 },
  { "Kiều", NULL, 3 }, { "Quách", NULL, 3 }, { "Tô", NULL, 3 },
  { "Phùng", NULL, 4 }, { "Nghiêm", NULL, 2 }, { "Khúc", NULL, 2 },
);

TABLE (demo_middle_male,
  { "Văn", NULL, 350 }, { "Hữu", NULL, 60 }, { "Đức", NULL, 80 },
  { "Minh", NULL, 80 }, { "Quang", NULL, 60 }, { "Thanh", NULL, 40 },
  { "Ngọc", NULL, 30 }, { "Xuân", NULL, 30 }, { "Công", NULL, 40 },
  { "Đình", NULL, 50 }, { "Tuấn", NULL, 20 }, { "Mạnh", NULL, 20 },
  { "Trung", NULL, 20 }, { "Anh", NULL, 20 }, { "Gia", NULL, 20 },
  { "Bảo", NULL, 20 }, { "Tiến", NULL, 15 }, { "Duy", NULL, 20 },
  { "Hoàng", NULL, 20 }, { "Thế", NULL, 25 },
);

TABLE (demo_middle_female,
  { "Thị", NULL, 450 }, { "Ngọc", NULL, 60 }, { "Thu", NULL, 50 },
  { "Thanh", NULL, 40 }, { "Minh", NULL, 30 }, { "Thùy", "Thuỳ", 30 },
  { "Phương", NULL, 30 }, { "Hồng", NULL, 30 }, { "Bích", NULL, 20 },
  { "Kim", NULL, 25 }, { "Mai", NULL, 20 }, { "Khánh", NULL, 20 },
  { "Bảo", NULL, 20 }, { "Hải", NULL, 15 }, { "Diệu", NULL, 10 },
  { "Lan", NULL, 15 },
);

/* After "Thị", a second middle name in about a quarter of the cases. */
TABLE (demo_middle2_female,
  { "Thu", NULL, 20 }, { "Thanh", NULL, 15 }, { "Ngọc", NULL, 15 },
  { "Minh", NULL, 10 }, { "Hồng", NULL, 10 }, { "Kim", NULL, 10 },
  { "Bích", NULL, 8 }, { "Mai", NULL, 8 }, { "Thùy", "Thuỳ", 8 },
  { "Lan", NULL, 6 }, { "Phương", NULL, 8 },
);

TABLE (demo_given_male,
  { "An", NULL, 20 }, { "Anh", NULL, 40 }, { "Bình", NULL, 25 },
  { "Cường", NULL, 25 }, { "Dũng", NULL, 35 }, { "Duy", NULL, 25 },
  { "Đạt", NULL, 30 }, { "Đức", NULL, 30 }, { "Giang", NULL, 15 },
  { "Hải", NULL, 35 }, { "Hiếu", NULL, 30 }, { "Hòa", "Hoà", 25 },
  { "Hoàng", NULL, 25 }, { "Hùng", NULL, 40 }, { "Huy", NULL, 40 },
  { "Khánh", NULL, 20 }, { "Khoa", NULL, 20 }, { "Khỏe", "Khoẻ", 4 },
  { "Kiên", NULL, 20 }, { "Long", NULL, 35 }, { "Lâm", NULL, 15 },
  { "Minh", NULL, 45 }, { "Nam", NULL, 40 }, { "Nghĩa", NULL, 20 },
  { "Phong", NULL, 20 }, { "Phúc", NULL, 20 }, { "Quân", NULL, 30 },
  { "Quang", NULL, 25 }, { "Sơn", NULL, 35 }, { "Tài", NULL, 15 },
  { "Thắng", NULL, 30 }, { "Thành", NULL, 35 }, { "Thịnh", NULL, 15 },
  { "Toàn", NULL, 20 }, { "Trung", NULL, 30 }, { "Tú", NULL, 20 },
  { "Tuấn", NULL, 45 }, { "Việt", NULL, 25 }, { "Vinh", NULL, 20 },
  { "Vũ", NULL, 15 }, { "Thụy", "Thuỵ", 5 }, { "Ân", NULL, 5 },
);

TABLE (demo_given_female,
  { "An", NULL, 20 }, { "Anh", NULL, 40 }, { "Bích", NULL, 15 },
  { "Chi", NULL, 20 }, { "Dung", NULL, 25 }, { "Giang", NULL, 25 },
  { "Hà", NULL, 35 }, { "Hạnh", NULL, 25 }, { "Hằng", NULL, 30 },
  { "Hiền", NULL, 30 }, { "Hoa", NULL, 30 }, { "Hòa", "Hoà", 15 },
  { "Hồng", NULL, 25 }, { "Hương", NULL, 40 }, { "Huyền", NULL, 35 },
  { "Lan", NULL, 30 }, { "Linh", NULL, 45 }, { "Loan", NULL, 15 },
  { "Mai", NULL, 30 }, { "My", NULL, 20 }, { "Nga", NULL, 30 },
  { "Ngân", NULL, 20 }, { "Ngọc", NULL, 25 }, { "Nhung", NULL, 20 },
  { "Oanh", NULL, 15 }, { "Phương", NULL, 35 }, { "Quỳnh", NULL, 25 },
  { "Tâm", NULL, 15 }, { "Thảo", NULL, 40 }, { "Thủy", "Thuỷ", 35 },
  { "Thúy", "Thuý", 25 }, { "Thùy", "Thuỳ", 10 }, { "Trang", NULL, 45 },
  { "Trinh", NULL, 15 }, { "Tuyết", NULL, 15 }, { "Uyên", NULL, 15 },
  { "Vân", NULL, 25 }, { "Yến", NULL, 25 }, { "Xuân", NULL, 15 },
  { "Thoa", NULL, 10 }, { "Khuê", NULL, 5 },
);

/* Where births of people now living in Hà Nội were registered (PPP). */
TABLE (demo_birth_provinces,
  { "001", NULL, 500 }, { "036", NULL, 40 }, { "034", NULL, 40 },
  { "038", NULL, 45 }, { "040", NULL, 45 }, { "030", NULL, 30 },
  { "033", NULL, 30 }, { "035", NULL, 25 }, { "037", NULL, 20 },
  { "026", NULL, 25 }, { "027", NULL, 25 }, { "025", NULL, 25 },
  { "031", NULL, 20 }, { "022", NULL, 15 }, { "042", NULL, 20 },
  { "024", NULL, 20 }, { "019", NULL, 20 }, { "017", NULL, 15 },
  { "014", NULL, 10 }, { "008", NULL, 10 }, { "079", NULL, 15 },
  { "048", NULL, 5 },
);

TABLE (demo_cert_issuers,
  { "VNPT-CA", NULL, 40 }, { "Viettel-CA", NULL, 30 }, { "BKAV-CA", NULL, 15 },
  { "FPT-CA", NULL, 10 }, { "MISA-CA", NULL, 5 },
);

TABLE (demo_ivan_providers,
  { "Công ty Cổ phần BKAV", NULL, 1 },
  { "Công ty TNHH Phát triển Công nghệ Thái Sơn", NULL, 1 },
  { "Công ty Cổ phần Công nghệ Tin học EFY Việt Nam", NULL, 1 },
  { "Tổng Công ty Dịch vụ Viễn thông (VNPT-VinaPhone)", NULL, 1 },
);

/* Invented employers. */
TABLE (demo_employers,
  { "Công ty TNHH May mặc Sông Hồng Xanh", NULL, 1 },
  { "Công ty Cổ phần Cơ khí Đông Anh Mới", NULL, 1 },
);

TABLE (demo_stop_reasons,
  { "Chuyển sang giao dịch qua tổ chức I-VAN", NULL, 1 },
  { "Không còn nhu cầu giao dịch điện tử", NULL, 1 },
  { "Nghỉ việc, chuyển sang đóng BHXH tự nguyện", NULL, 1 },
);

const DemoRegion demo_regions[] = {
  { "Hà Nội", "01", "01", "001" },
  { "Hồ Chí Minh", "79", "79", "079" },
  { "Đà Nẵng", "48", "48", "048" },
};

#define LIST(...) (const char *const[]) { __VA_ARGS__, NULL }

const DemoDistrict demo_districts[] = {
  { "Ba Đình", "00101", "001", 0, FALSE, 60,
    LIST ("Phúc Xá", "Trúc Bạch", "Vĩnh Phúc", "Cống Vị", "Liễu Giai", "Kim Mã",
          "Giảng Võ", "Thành Công", "Ngọc Hà", "Đội Cấn"),
    LIST ("Đội Cấn", "Kim Mã", "Liễu Giai", "Hoàng Hoa Thám", "Văn Cao",
          "Giảng Võ", "Nguyễn Thái Học", "Phan Đình Phùng") },
  { "Hoàn Kiếm", "00102", "002", 0, FALSE, 40,
    LIST ("Hàng Bạc", "Hàng Bồ", "Hàng Bông", "Hàng Trống", "Tràng Tiền",
          "Cửa Nam", "Lý Thái Tổ", "Phan Chu Trinh"),
    LIST ("Hàng Bạc", "Hàng Bồ", "Hàng Gai", "Lý Thường Kiệt", "Tràng Tiền",
          "Hàng Bài", "Đinh Tiên Hoàng") },
  { "Tây Hồ", "00103", "003", 0, FALSE, 40,
    LIST ("Bưởi", "Thụy Khuê", "Yên Phụ", "Tứ Liên", "Nhật Tân", "Quảng An",
          "Xuân La", "Phú Thượng"),
    LIST ("Lạc Long Quân", "Âu Cơ", "Thụy Khuê", "Xuân Diệu", "Tô Ngọc Vân",
          "Nhật Chiêu") },
  { "Long Biên", "00104", "004", 0, FALSE, 70,
    LIST ("Bồ Đề", "Gia Thụy", "Ngọc Lâm", "Ngọc Thụy", "Phúc Đồng", "Sài Đồng",
          "Thạch Bàn", "Việt Hưng"),
    LIST ("Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Sơn", "Ngô Gia Tự", "Cổ Linh",
          "Sài Đồng") },
  { "Cầu Giấy", "00105", "005", 0, FALSE, 70,
    LIST ("Dịch Vọng", "Dịch Vọng Hậu", "Mai Dịch", "Nghĩa Đô", "Nghĩa Tân",
          "Quan Hoa", "Trung Hòa", "Yên Hòa"),
    LIST ("Xuân Thủy", "Cầu Giấy", "Trần Duy Hưng", "Hoàng Quốc Việt",
          "Nguyễn Khánh Toàn", "Trần Thái Tông") },
  { "Đống Đa", "00106", "006", 0, FALSE, 95,
    LIST ("Trung Liệt", "Láng Hạ", "Láng Thượng", "Khâm Thiên", "Kim Liên",
          "Ô Chợ Dừa", "Quang Trung", "Văn Miếu", "Thịnh Quang", "Nam Đồng"),
    LIST ("Thái Hà", "Tây Sơn", "Chùa Bộc", "Láng Hạ", "Xã Đàn", "Khâm Thiên",
          "Nguyễn Lương Bằng", "Tôn Đức Thắng") },
  { "Hai Bà Trưng", "00107", "007", 0, FALSE, 75,
    LIST ("Bách Khoa", "Bạch Đằng", "Lê Đại Hành", "Minh Khai", "Quỳnh Mai",
          "Thanh Nhàn", "Trương Định", "Vĩnh Tuy"),
    LIST ("Bạch Mai", "Minh Khai", "Lò Đúc", "Trần Khát Chân", "Lê Thanh Nghị",
          "Đại Cồ Việt") },
  { "Hoàng Mai", "00108", "008", 0, FALSE, 100,
    LIST ("Định Công", "Giáp Bát", "Hoàng Liệt", "Hoàng Văn Thụ", "Mai Động",
          "Tân Mai", "Tương Mai", "Vĩnh Hưng"),
    LIST ("Giải Phóng", "Tam Trinh", "Kim Đồng", "Lĩnh Nam", "Nguyễn Hữu Thọ",
          "Định Công") },
  { "Thanh Xuân", "00109", "009", 0, FALSE, 70,
    LIST ("Khương Đình", "Khương Mai", "Khương Trung", "Nhân Chính",
          "Thanh Xuân Bắc", "Thanh Xuân Trung", "Thượng Đình", "Kim Giang"),
    LIST ("Nguyễn Trãi", "Khuất Duy Tiến", "Lê Văn Lương", "Vũ Trọng Phụng",
          "Nguyễn Tuân", "Quan Nhân") },
  { "Sóc Sơn", "00110", "016", 0, TRUE, 70,
    LIST ("Phù Linh", "Tiên Dược", "Mai Đình", "Phù Lỗ", "Minh Phú", "Trung Giã"),
    LIST ("Đông", "Đoài", "Trung", "Thượng", "Hạ", "Phú Xuân") },
  { "Đông Anh", "00111", "017", 0, TRUE, 90,
    LIST ("Uy Nỗ", "Kim Chung", "Hải Bối", "Vân Nội", "Nguyên Khê", "Tiên Dương",
          "Cổ Loa"),
    LIST ("Đoài", "Đông", "Trung", "Hậu", "Nhuế", "Sơn Du") },
  { "Gia Lâm", "00112", "018", 0, TRUE, 65,
    LIST ("Bát Tràng", "Đa Tốn", "Kiêu Kỵ", "Dương Xá", "Phú Thị", "Cổ Bi"),
    LIST ("Giang Cao", "Kim Lan", "Đào Xuyên", "Trung Dương", "Kim Âu") },
  { "Nam Từ Liêm", "00113", "019", 0, FALSE, 65,
    LIST ("Mễ Trì", "Mỹ Đình 1", "Mỹ Đình 2", "Phú Đô", "Trung Văn", "Cầu Diễn",
          "Xuân Phương", "Tây Mỗ"),
    LIST ("Lê Đức Thọ", "Hàm Nghi", "Mễ Trì", "Trung Văn", "Hồ Tùng Mậu",
          "Phạm Hùng") },
  { "Thanh Trì", "00114", "020", 0, TRUE, 65,
    LIST ("Tam Hiệp", "Tứ Hiệp", "Ngũ Hiệp", "Thanh Liệt", "Tả Thanh Oai",
          "Vĩnh Quỳnh", "Yên Mỹ"),
    LIST ("Văn", "Yên", "Tựu Liệt", "Huỳnh Cung", "Ngọc Hồi") },
  { "Hà Đông", "00115", "268", 0, FALSE, 90,
    LIST ("Văn Quán", "Mộ Lao", "Hà Cầu", "Quang Trung", "Yết Kiêu", "Phú La",
          "Kiến Hưng", "Dương Nội"),
    LIST ("Quang Trung", "Trần Phú", "Nguyễn Trãi", "Tô Hiệu", "Lê Trọng Tấn",
          "Vạn Phúc") },
  { "Quận 1", "07901", "760", 1, FALSE, 30,
    LIST ("Bến Nghé", "Bến Thành", "Đa Kao", "Tân Định", "Cầu Ông Lãnh"),
    LIST ("Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Pasteur", "Lý Tự Trọng") },
  { "Quận 3", "07902", "770", 1, FALSE, 30,
    LIST ("Võ Thị Sáu", "Phường 4", "Phường 5", "Phường 9", "Phường 11"),
    LIST ("Nam Kỳ Khởi Nghĩa", "Cách Mạng Tháng Tám", "Võ Văn Tần", "Lê Văn Sỹ",
          "Trần Quốc Thảo") },
  { "Bình Thạnh", "07903", "765", 1, FALSE, 30,
    LIST ("Phường 1", "Phường 3", "Phường 13", "Phường 25", "Phường 26"),
    LIST ("Xô Viết Nghệ Tĩnh", "Điện Biên Phủ", "Bạch Đằng", "Nơ Trang Long",
          "Phan Đăng Lưu") },
  { "Hải Châu", "04801", "492", 2, FALSE, 15,
    LIST ("Hải Châu I", "Thạch Thang", "Thanh Bình", "Phước Ninh",
          "Hòa Thuận Đông"),
    LIST ("Bạch Đằng", "Lê Duẩn", "Hùng Vương", "Trần Phú", "Nguyễn Văn Linh") },
  { "Thanh Khê", "04802", "491", 2, FALSE, 15,
    LIST ("Tam Thuận", "Thạc Gián", "Chính Gián", "An Khê", "Xuân Hà"),
    LIST ("Điện Biên Phủ", "Hà Huy Tập", "Nguyễn Tất Thành", "Lê Duẩn") },
};
const guint demo_n_districts = G_N_ELEMENTS (demo_districts);

const DemoOffice demo_offices[] = {
  { "001", NULL, "BHXH Tp. Hà Nội" },
  { "00101", "001", "BHXH Quận Ba Đình" },
  { "00102", "001", "BHXH Quận Hoàn Kiếm" },
  { "00103", "001", "BHXH Quận Tây Hồ" },
  { "00104", "001", "BHXH Quận Long Biên" },
  { "00105", "001", "BHXH Quận Cầu Giấy" },
  { "00106", "001", "BHXH Quận Đống Đa" },
  { "00107", "001", "BHXH Quận Hai Bà Trưng" },
  { "00108", "001", "BHXH Quận Hoàng Mai" },
  { "00109", "001", "BHXH Quận Thanh Xuân" },
  { "00110", "001", "BHXH Huyện Sóc Sơn" },
  { "00111", "001", "BHXH Huyện Đông Anh" },
  { "00112", "001", "BHXH Huyện Gia Lâm" },
  { "00113", "001", "BHXH Quận Nam Từ Liêm" },
  { "00114", "001", "BHXH Huyện Thanh Trì" },
  { "00115", "001", "BHXH Quận Hà Đông" },
  { "079", NULL, "BHXH Tp. Hồ Chí Minh" },
  { "07901", "079", "BHXH Quận 1" },
  { "07902", "079", "BHXH Quận 3" },
  { "07903", "079", "BHXH Quận Bình Thạnh" },
  { "048", NULL, "BHXH Tp. Đà Nẵng" },
  { "04801", "048", "BHXH Quận Hải Châu" },
  { "04802", "048", "BHXH Quận Thanh Khê" },
};
const guint demo_n_offices = G_N_ELEMENTS (demo_offices);
