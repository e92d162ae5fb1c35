/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chip's cryptography against the worked examples of ICAO Doc 9303
 * part 11: appendix D (BAC of the specimen MRZ "L898902C<3 6908061
 * 9406236"), appendix G.1 (PACE-ECDH-GM-AES-CBC-CMAC-128 on
 * brainpoolP256r1, MRZ T22000129 / 640812 / 101031); and the access keys
 * derived from a card's QR. */
#include "config.h"

#include <string.h>
#include <openssl/bn.h>
#include <openssl/obj_mac.h>

#include "chip/bhxh-chip-private.h"

static GBytes *
hex (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0';)
    {
      guint8 b;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      b = g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]);
      g_byte_array_append (out, &b, 1);
      p += 2;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
assert_hex (const guint8 *data,
            gsize         len,
            const char   *expected)
{
  g_autoptr(GBytes) want = hex (expected);

  g_assert_cmpmem (data, len, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
}

static void
copy_hex (guint8     *out,
          const char *text)
{
  g_autoptr(GBytes) bytes = hex (text);

  memcpy (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static const BhxhChipKey specimen = { "L898902C", "690806", "940623" };

static void
test_key_derivation (void)
{
  g_autofree char *info = _bhxh_chip_mrz_info (&specimen);
  guint8 seed[16], k_enc[16], k_mac[16];

  g_assert_cmpstr (info, ==, "L898902C<369080619406236");
  _bhxh_chip_key_seed (&specimen, seed);
  assert_hex (seed, 16, "239AB9CB282DAF66231DC5A4DF6BFBAE");
  _bhxh_chip_derive_key (seed, 1, k_enc);
  assert_hex (k_enc, 16, "AB94FDECF2674FDFB9B391F85D7F76F2");
  _bhxh_chip_derive_key (seed, 2, k_mac);
  assert_hex (k_mac, 16, "7962D9ECE03D1ACD4C76089DCE131543");
}

static void
test_check_digit (void)
{
  g_assert_cmpint (_bhxh_chip_check_digit ("L898902C<"), ==, 3);
  g_assert_cmpint (_bhxh_chip_check_digit ("690806"), ==, 1);
  g_assert_cmpint (_bhxh_chip_check_digit ("940623"), ==, 6);
}

/* Mutual authentication and the session keys (appendix D.3, D.4). */
static void
test_mutual_authentication (void)
{
  g_autoptr(GBytes) resp = hex ("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
                                "2F2D235D074D7449");
  g_autoptr(GError) error = NULL;
  BhxhChipBac bac;
  BhxhChipSM sm;
  guint8 cmd[40];

  _bhxh_chip_bac_init (&bac, &specimen);
  copy_hex (bac.rnd_icc, "4608F91988702212");
  copy_hex (bac.rnd_ifd, "781723860C06C226");
  copy_hex (bac.k_ifd, "0B795240CB7049B01C19B33E32804F0B");
  g_assert_true (_bhxh_chip_bac_command (&bac, cmd));
  assert_hex (cmd, 32, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
  assert_hex (cmd + 32, 8, "5F1448EEA8AD90A7");

  g_assert_true (_bhxh_chip_bac_finish (&bac, g_bytes_get_data (resp, NULL),
                                        g_bytes_get_size (resp), &sm, &error));
  g_assert_no_error (error);
  assert_hex (sm.ks_enc, 16, "979EC13B1CBFE9DCD01AB0FED307EAE5");
  assert_hex (sm.ks_mac, 16, "F1CB1F1FB5ADF208806B89DC579DC1F8");
  assert_hex (sm.ssc, 8, "887022120C06C226");

  /* A wrong key: the chip's answer does not check out. */
  bac.k_mac[0] ^= 0x02;
  g_assert_false (_bhxh_chip_bac_finish (&bac, g_bytes_get_data (resp, NULL),
                                         g_bytes_get_size (resp), &sm, &error));
  g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL);
}

static void
session (BhxhChipSM *sm)
{
  memset (sm, 0, sizeof *sm);
  copy_hex (sm->ks_enc, "979EC13B1CBFE9DCD01AB0FED307EAE5");
  copy_hex (sm->ks_mac, "F1CB1F1FB5ADF208806B89DC579DC1F8");
  copy_hex (sm->ssc, "887022120C06C226");
}

/* Secure messaging (appendix D.4): SELECT EF.COM, READ BINARY of its
 * first four bytes, and the chip's protected answers. */
static void
test_secure_messaging (void)
{
  static const guint8 select[] = { 0x00, 0xa4, 0x02, 0x0c, 0x02, 0x01, 0x1e };
  static const guint8 read[] = { 0x00, 0xb0, 0x00, 0x00, 0x04 };
  g_autoptr(GBytes) resp1 = hex ("990290008E08FA855A5D4C50A8ED9000");
  g_autoptr(GBytes) resp2 = hex ("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000");
  g_autoptr(GBytes) apdu = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  BhxhChipSM sm;
  guint16 sw = 0;

  session (&sm);
  apdu = _bhxh_chip_sm_wrap (&sm, select, sizeof select, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (apdu, NULL), g_bytes_get_size (apdu),
              "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  assert_hex (sm.ssc, 8, "887022120C06C227");

  plain = _bhxh_chip_sm_unwrap (&sm, g_bytes_get_data (resp1, NULL), g_bytes_get_size (resp1),
                                &sw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (plain), ==, 0);
  g_assert_cmphex (sw, ==, 0x9000);
  assert_hex (sm.ssc, 8, "887022120C06C228");
  g_clear_pointer (&apdu, g_bytes_unref);
  g_clear_pointer (&plain, g_bytes_unref);

  apdu = _bhxh_chip_sm_wrap (&sm, read, sizeof read, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (apdu, NULL), g_bytes_get_size (apdu),
              "0CB000000D9701048E08ED6705417E96BA5500");
  plain = _bhxh_chip_sm_unwrap (&sm, g_bytes_get_data (resp2, NULL), g_bytes_get_size (resp2),
                                &sw, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "60145F01");
  g_assert_cmphex (sw, ==, 0x9000);
}

/* An answer whose MAC was altered is refused. */
static void
test_secure_messaging_tampered (void)
{
  static const guint8 select[] = { 0x00, 0xa4, 0x02, 0x0c, 0x02, 0x01, 0x1e };
  g_autoptr(GBytes) resp = hex ("990290008E08FA855A5D4C50A8EE9000");
  g_autoptr(GBytes) apdu = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  BhxhChipSM sm;
  guint16 sw = 0;

  session (&sm);
  apdu = _bhxh_chip_sm_wrap (&sm, select, sizeof select, &error);
  plain = _bhxh_chip_sm_unwrap (&sm, g_bytes_get_data (resp, NULL), g_bytes_get_size (resp),
                                &sw, &error);
  g_assert_null (plain);
  g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL);
}

/* ICAO Doc 9303 part 11 (8th edition, 2021), appendix G.1, "PACE-ECDH-GM,
 * brainpoolP256r1": every intermediate value. The same figures are in BSI
 * TR-03110 / TR-SAC's worked example and in the tests of open-source
 * readers (Proxmark3's emrtd_pacetest.c, the Rust crate of the eMRTD
 * worked examples, nl.zienit's icao_examples); they agree. The terminal's
 * two private keys are the example's, set before the steps that would
 * draw them at random. */
#define G1_CARD_ACCESS "31143012060A04007F0007020204020202010202010D"
#define G1_NONCE_ENC   "95A3A016522EE98D01E76CB6B98B42C3"
#define G1_NONCE       "3F00C4D39D153F2B2A214A078D899B22"
#define G1_K_PI        "89DED1B26624EC1E634C1989302849DD"
#define G1_SK_MAP_IFD  "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
#define G1_PK_MAP_IFD  "04" "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E" \
                            "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
#define G1_PK_MAP_IC   "04" "824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57" \
                            "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
#define G1_H           "04" "60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5" \
                            "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181"
#define G1_G_MAPPED    "04" "8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2" \
                            "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522"
#define G1_SK_IFD      "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"
#define G1_PK_IFD      "04" "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C" \
                            "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
#define G1_PK_IC       "04" "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB" \
                            "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
#define G1_K           "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
#define G1_KS_ENC      "F5F0E35C0D7161EE6724EE513A0D9A7F"
#define G1_KS_MAC      "FE251C7858B356B24514B3BD5F4297D1"
#define G1_T_IFD       "C2B0BD78D94BA866"
#define G1_T_IC        "3ABB9674BCE93C08"

static BIGNUM *
bn_hex (const char *text)
{
  BIGNUM *bn = NULL;

  g_assert_cmpint (BN_hex2bn (&bn, text), ==, strlen (text));
  return bn;
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected)
{
  g_assert_nonnull (bytes);
  assert_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected);
}

static void
test_pace_worked_example (void)
{
  static const BhxhChipKey key = { "T22000129", "640812", "101031" };
  g_autoptr(GBytes) card_access = hex (G1_CARD_ACCESS);
  g_autoptr(GBytes) nonce = hex (G1_NONCE_ENC);
  g_autoptr(GBytes) chip_map = hex (G1_PK_MAP_IC);
  g_autoptr(GBytes) chip_public = hex (G1_PK_IC);
  g_autoptr(GBytes) map_public = NULL, eph_public = NULL, h = NULL, mapped = NULL;
  g_autofree char *info_text = _bhxh_chip_mrz_info (&key);
  BhxhChipPaceInfo info;
  BhxhChipPace pace;
  BhxhChipSM sm;
  guint8 token[8], s[16];

  g_assert_cmpstr (info_text, ==, "T22000129364081251010318");
  g_assert_cmpint (_bhxh_chip_parse_card_access (card_access, &info), ==,
                   BHXH_CHIP_PACE_SUPPORTED);
  assert_hex (info.oid, info.oid_len, "04007F00070202040202");
  g_assert_cmpuint (info.parameter_id, ==, 13);
  g_assert_cmpint (info.nid, ==, NID_brainpoolP256r1);
  g_assert_cmpuint (info.key_len, ==, 16);

  g_assert_true (_bhxh_chip_pace_init (&pace, &info, &key));
  assert_hex (pace.k_pi, 16, G1_K_PI);
  g_assert_true (_bhxh_chip_pace_nonce (&pace, g_bytes_get_data (nonce, NULL),
                                        g_bytes_get_size (nonce)));
  g_assert_cmpint (BN_bn2binpad (pace.nonce, s, 16), ==, 16);
  assert_hex (s, 16, G1_NONCE);

  pace.map_key = bn_hex (G1_SK_MAP_IFD);
  map_public = _bhxh_chip_pace_map_public (&pace);
  assert_bytes (map_public, G1_PK_MAP_IFD);
  g_assert_true (_bhxh_chip_pace_map (&pace, g_bytes_get_data (chip_map, NULL),
                                      g_bytes_get_size (chip_map)));
  h = _bhxh_chip_ec_encode (pace.group, pace.h);
  assert_bytes (h, G1_H);
  mapped = _bhxh_chip_ec_encode (pace.group, pace.generator);
  assert_bytes (mapped, G1_G_MAPPED);

  pace.eph_key = bn_hex (G1_SK_IFD);
  eph_public = _bhxh_chip_pace_eph_public (&pace);
  assert_bytes (eph_public, G1_PK_IFD);
  g_assert_true (_bhxh_chip_pace_agree (&pace, g_bytes_get_data (chip_public, NULL),
                                        g_bytes_get_size (chip_public), &sm));
  assert_bytes (pace.secret, G1_K);
  g_assert_cmpint (sm.cipher, ==, BHXH_CHIP_CIPHER_AES);
  assert_hex (sm.ks_enc, 16, G1_KS_ENC);
  assert_hex (sm.ks_mac, 16, G1_KS_MAC);
  assert_hex (sm.ssc, 16, "00000000000000000000000000000000");

  g_assert_true (_bhxh_chip_pace_token (&info, &sm, chip_public, token));
  assert_hex (token, 8, G1_T_IFD);
  g_assert_true (_bhxh_chip_pace_token (&info, &sm, eph_public, token));
  assert_hex (token, 8, G1_T_IC);

  /* A chip that sends our own key back is refused. */
  g_assert_false (_bhxh_chip_pace_agree (&pace, g_bytes_get_data (eph_public, NULL),
                                         g_bytes_get_size (eph_public), &sm));
  _bhxh_chip_pace_clear (&pace);
}

/* AES secure messaging with G.1's session keys: ICAO publishes no AES
 * trace, so these protected APDUs are the independent ones of Proxmark3's
 * eMRTD tests (emrtd_pacetest.c, test_sm_aes), computed with OpenSSL /
 * PyCryptodome and checked there on a real document: SSC 16 bytes from
 * zero, IV = E(KSenc, SSC), the MAC input padded to 16 before CMAC. The
 * same SELECT EF.COM and READ BINARY as appendix D.4's 3DES example. */
static void
test_secure_messaging_aes (void)
{
  static const guint8 select[] = { 0x00, 0xa4, 0x02, 0x0c, 0x02, 0x01, 0x1e };
  static const guint8 read[] = { 0x00, 0xb0, 0x00, 0x00, 0x04 };
  g_autoptr(GBytes) resp1 = hex ("990290008E08BEA7B381C494A0799000");
  g_autoptr(GBytes) resp2 = hex ("871101645C0B1F998A088278D07942BBE94B60990290008E0894A33C6AA2D8CCC8"
                                 "9000");
  g_autoptr(GBytes) apdu = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  BhxhChipSM sm = { .cipher = BHXH_CHIP_CIPHER_AES, .key_len = 16 };
  guint16 sw = 0;

  copy_hex (sm.ks_enc, G1_KS_ENC);
  copy_hex (sm.ks_mac, G1_KS_MAC);
  apdu = _bhxh_chip_sm_wrap (&sm, select, sizeof select, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (apdu, NULL), g_bytes_get_size (apdu),
              "0CA4020C1D871101EE0E4724F4465C1BE9C2F73ABDD73A3D8E08835D1B54575C955F00");
  plain = _bhxh_chip_sm_unwrap (&sm, g_bytes_get_data (resp1, NULL), g_bytes_get_size (resp1),
                                &sw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (plain), ==, 0);
  g_assert_cmphex (sw, ==, 0x9000);
  g_clear_pointer (&apdu, g_bytes_unref);
  g_clear_pointer (&plain, g_bytes_unref);

  apdu = _bhxh_chip_sm_wrap (&sm, read, sizeof read, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (apdu, NULL), g_bytes_get_size (apdu),
              "0CB000000D9701048E08AA6BA54F44DF836400");
  plain = _bhxh_chip_sm_unwrap (&sm, g_bytes_get_data (resp2, NULL), g_bytes_get_size (resp2),
                                &sw, &error);
  g_assert_no_error (error);
  assert_hex (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "60145F01");
  assert_hex (sm.ssc, 16, "00000000000000000000000000000004");
}

/* What EF.CardAccess offers: PACE-ECDH-IM (integrated mapping), 3DES or
 * proprietary domain parameters are not supported; BAC then. */
static void
test_pace_card_access (void)
{
  static const struct { const char *card_access; BhxhChipPaceOffer offer; guint id; } cases[] = {
    { "31143012060A04007F0007020204020202010202010C", BHXH_CHIP_PACE_SUPPORTED, 12 },
    { "31143012060A04007F0007020204020402010202010D", BHXH_CHIP_PACE_SUPPORTED, 13 },
    { "31143012060A04007F0007020204040202010202010D", BHXH_CHIP_PACE_UNSUPPORTED, 0 },
    { "31143012060A04007F0007020204020102010202010D", BHXH_CHIP_PACE_UNSUPPORTED, 0 },
    /* No parameter id: proprietary domain parameters. */
    { "3111300F060A04007F00070202040202020102", BHXH_CHIP_PACE_UNSUPPORTED, 0 },
    /* Another protocol only (chip authentication's): no PACE. */
    { "31143012060A04007F0007020203020202010202010D", BHXH_CHIP_PACE_NONE, 0 },
    /* IM first, then a GM the desk speaks: the GM. */
    { "31283012060A04007F0007020204040202010202010D"
      "3012060A04007F0007020204020202010202010D", BHXH_CHIP_PACE_SUPPORTED, 13 },
    { "3000", BHXH_CHIP_PACE_NONE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) data = hex (cases[i].card_access);
      BhxhChipPaceInfo info;

      g_assert_cmpint (_bhxh_chip_parse_card_access (data, &info), ==, cases[i].offer);
      g_assert_cmpuint (info.parameter_id, ==, cases[i].id);
    }
  g_assert_cmpint (_bhxh_chip_parse_card_access (NULL, &(BhxhChipPaceInfo) { 0 }), ==,
                   BHXH_CHIP_PACE_NONE);
}

static void
test_key_parse (void)
{
  g_autoptr(GError) error = NULL;
  BhxhChipKey key;

  g_assert_true (bhxh_chip_key_parse ("090012345:900315:150315", &key, &error));
  g_assert_cmpstr (key.document_number, ==, "090012345");
  g_assert_cmpstr (key.birth, ==, "900315");
  g_assert_cmpstr (key.expiry, ==, "150315");
  /* The whole ID number stands for its last nine digits. */
  g_assert_true (bhxh_chip_key_parse ("001090012345:900315:150315", &key, &error));
  g_assert_cmpstr (key.document_number, ==, "090012345");

  g_assert_false (bhxh_chip_key_parse ("090012345:9003:150315", &key, &error));
  g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_BAD_KEY);
  g_clear_error (&error);
  g_assert_false (bhxh_chip_key_parse ("0900123456789:900315:150315", &key, &error));
  g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_BAD_KEY);
}

static GArray *
keys_for (const char *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDocument) qr = bhxh_document_parse_cccd (payload, -1, &error);
  GArray *keys;

  g_assert_no_error (error);
  keys = bhxh_chip_keys_from_document (qr, &error);
  g_assert_no_error (error);
  return keys;
}

/* Synthetic people only. Born 15/03/1990, issued 20/04/2021 (aged 31):
 * valid until 40, then the neighbours 60 and 25 (already past: skipped). */
static void
test_keys_from_qr (void)
{
  g_autoptr(GArray) keys = keys_for ("001090012345|123456789|Nguyễn Văn An|15031990|Nam|"
                                     "Số 12 ngõ 34 Thái Hà, Đống Đa, Hà Nội|20042021");
  g_autoptr(GArray) late = NULL;
  g_autoptr(GArray) near = NULL;

  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (g_array_index (keys, BhxhChipKey, 0).document_number, ==, "090012345");
  g_assert_cmpstr (g_array_index (keys, BhxhChipKey, 0).birth, ==, "900315");
  g_assert_cmpstr (g_array_index (keys, BhxhChipKey, 0).expiry, ==, "300315");
  g_assert_cmpstr (g_array_index (keys, BhxhChipKey, 1).expiry, ==, "500315");

  /* Issued at 23 (less than two years before 25): valid until 40. */
  near = keys_for ("079305001234||Trần Thị Bích Ngọc|02112005|Nữ|Nhà Bè, Hồ Chí Minh|10082029");
  g_assert_cmpstr (g_array_index (near, BhxhChipKey, 0).expiry, ==, "451102");
  g_assert_cmpstr (g_array_index (near, BhxhChipKey, 1).expiry, ==, "651102");
  g_assert_cmpstr (g_array_index (near, BhxhChipKey, 2).expiry, ==, "301102");

  /* Issued at 59: the card does not expire, the MRZ must be typed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BhxhDocument) qr = bhxh_document_parse_cccd (
      "001060012345||Lê Văn Bảy|01011960|Nam|Hà Nội|01012019", -1, &error);

    g_assert_no_error (error);
    late = bhxh_chip_keys_from_document (qr, &error);
    g_assert_null (late);
    g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_BAD_KEY);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chip/crypto/check-digit", test_check_digit);
  g_test_add_func ("/chip/crypto/key-derivation", test_key_derivation);
  g_test_add_func ("/chip/crypto/mutual-authentication", test_mutual_authentication);
  g_test_add_func ("/chip/crypto/secure-messaging", test_secure_messaging);
  g_test_add_func ("/chip/crypto/secure-messaging-tampered", test_secure_messaging_tampered);
  g_test_add_func ("/chip/pace/worked-example", test_pace_worked_example);
  g_test_add_func ("/chip/pace/card-access", test_pace_card_access);
  g_test_add_func ("/chip/pace/secure-messaging-aes", test_secure_messaging_aes);
  g_test_add_func ("/chip/keys/parse", test_key_parse);
  g_test_add_func ("/chip/keys/from-qr", test_keys_from_qr);
  return g_test_run ();
}
