// Registration, token obtain / refresh / verify / blacklist, and JWT misuse, as the Django version
// answers them.
#include <regex>

#include "harness.hpp"

namespace e2e {
namespace {

std::string reg_body(std::string_view username, std::string_view email, std::string_view password,
                     std::string_view password2) {
    return to_json(json::object{{"username", username},
                                {"email", email},
                                {"password", password},
                                {"password2", password2}});
}

Response register_raw(const std::string& body) {
    return post(shared_server(), "/api/auth/register/", body);
}

Response register_with_password(std::string_view tag, std::string_view password,
                                std::string email = "bob@example.com") {
    return register_raw(reg_body(unique_name(tag), email, password, password));
}

void expect_401(const Response& r, std::string_view expected_body) {
    EXPECT_STATUS(r, 401);
    EXPECT_JSON(r, expected_body);
    EXPECT_EQ(r.header("WWW-Authenticate"), R"(Bearer realm="api")") << r.describe();
    EXPECT_SECURITY_HEADERS(r);
}

// A user made once for the token tests of this file.
const TestUser& token_user() {
    static const TestUser user = create_user(shared_server(), "tok");
    return user;
}

// The id of the seeded, inactive `example_user` (owner of the example applications).
int64_t example_user_id() {
    Response r = get(shared_server(), "/api/example-job-applications/");
    json::object o = r.obj();
    if (r.status != 200 || !o.contains("data") || !o["data"].is_array() ||
        o["data"].as_array().empty()) {
        throw std::runtime_error("cannot read the example applications" + r.describe());
    }
    return o["data"].as_array()[0].as_object().at("user").as_int64();
}

// ------------------------------------------------------------------------------------------
// POST /api/auth/register/

TEST(Register, SuccessAnswers201WithUsernameAndEmail) {
    const std::string name = unique_name("alice");
    const std::string email = name + "@example.com";
    Response r = register_raw(reg_body(name, email, kPassword, kPassword));
    ASSERT_STATUS(r, 201);
    EXPECT_JSON(r, to_json(json::object{{"username", name}, {"email", email}}));
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly) << r.describe();
    EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.describe();
    EXPECT_SECURITY_HEADERS(r);
    // The original's wire format: compact JSON, username first, no id.
    EXPECT_EQ(r.body, R"({"username":")" + name + R"(","email":")" + email + R"("})");

    // The new account can log in.
    EXPECT_NO_THROW(login(shared_server(), name, kPassword));
}

TEST(Register, PasswordMismatch) {
    Response r = register_raw(
        reg_body(unique_name("bob"), "bob@example.com", kPassword, std::string(kPassword) + "x"));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password":["Password fields didn't match."]})");
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    EXPECT_SECURITY_HEADERS(r);
}

TEST(Register, PasswordTooCommon) {
    Response r = register_with_password("bob", "password");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password":["This password is too common."]})");
}

TEST(Register, PasswordEntirelyNumeric) {
    Response r = register_with_password("bob", "83729164");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password":["This password is entirely numeric."]})");
}

TEST(Register, PasswordTooShort) {
    Response r = register_with_password("bob", "Ab1!xyz");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"password":["This password is too short. It must contain at least 8 characters."]})");
}

TEST(Register, ShortCommonNumericReportsAllInValidatorOrder) {
    Response r = register_with_password("bob", "1234567");
    EXPECT_STATUS(r, 400);
    // An array comparison: the order of the messages matters.
    EXPECT_JSON(
        r,
        R"({"password":["This password is too short. It must contain at least 8 characters.","This password is too common.","This password is entirely numeric."]})");
}

TEST(Register, PasswordEqualToUsernameIsTooSimilar) {
    // beyond: the original accepts this (its validate_password call gets no user).
    const std::string name = unique_name("johnsmith");
    Response r = register_raw(reg_body(name, "js@example.com", name, name));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password":["The password is too similar to the username."]})");
}

TEST(Register, PasswordSimilarToEmailIsRejected) {
    Response r = register_raw(reg_body(unique_name("mailsim"), "vtmqzrkxlpwd@example.com",
                                       "vtmqzrkxlpwd", "vtmqzrkxlpwd"));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password":["The password is too similar to the email address."]})");
}

TEST(Register, NumericAndSimilarReportsBothNumericFirst) {
    Response r = register_raw(
        reg_body(unique_name("numsim"), "83729164555@example.com", "83729164555", "83729164555"));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"password":["This password is entirely numeric.","The password is too similar to the email address."]})");
}

TEST(Register, DuplicateUsername) {
    const std::string name = unique_name("dup");
    ASSERT_STATUS(register_raw(reg_body(name, name + "@example.com", kPassword, kPassword)), 201);
    Response r = register_raw(reg_body(name, "other@example.com", kPassword, kPassword));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"username":["A user with that username already exists."]})");
}

TEST(Register, DuplicateEmailIsAccepted) {
    const std::string email = unique_name("shared") + "@example.com";
    ASSERT_STATUS(register_raw(reg_body(unique_name("dupmail"), email, kPassword, kPassword)), 201);
    Response r = register_raw(reg_body(unique_name("dupmail"), email, kPassword, kPassword));
    EXPECT_STATUS(r, 201);
}

TEST(Register, MissingEmail) {
    Response r = register_raw(to_json(json::object{
        {"username", unique_name("carol")}, {"password", kPassword}, {"password2", kPassword}}));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"email":["This field is required."]})");
}

TEST(Register, MissingPassword2) {
    Response r = register_raw(to_json(json::object{
        {"username", unique_name("carol")}, {"email", "c@example.com"}, {"password", kPassword}}));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password2":["This field is required."]})");
}

TEST(Register, BlankEmailIsAccepted) {
    const std::string name = unique_name("carol");
    Response r = register_raw(reg_body(name, "", kPassword, kPassword));
    EXPECT_STATUS(r, 201);
    EXPECT_JSON(r, to_json(json::object{{"username", name}, {"email", ""}}));
}

TEST(Register, InvalidEmail) {
    Response r = register_raw(reg_body(unique_name("carol"), "not-an-email", kPassword, kPassword));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"email":["Enter a valid email address."]})");
}

TEST(Register, InvalidUsernameCharacters) {
    Response r = register_raw(reg_body("bad name!", "x@example.com", kPassword, kPassword));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"username":["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."]})");
}

TEST(Register, UsernameMayContainAtDotPlusMinus) {
    const std::string name = unique_name("ok") + "@.+-";
    Response r = register_raw(reg_body(name, "ok@example.com", kPassword, kPassword));
    EXPECT_STATUS(r, 201);
}

TEST(Register, UsernameLength150AcceptedAnd151Rejected) {
    std::string name150 = unique_name("long");
    name150.resize(150, 'x');
    Response ok = register_raw(reg_body(name150, "long@example.com", kPassword, kPassword));
    EXPECT_STATUS(ok, 201);

    std::string name151 = unique_name("long");
    name151.resize(151, 'y');
    Response r = register_raw(reg_body(name151, "long@example.com", kPassword, kPassword));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"username":["Ensure this field has no more than 150 characters."]})");
}

TEST(Register, BlankAndNullFields) {
    Response blank = register_raw(reg_body("", "x@example.com", kPassword, kPassword));
    EXPECT_STATUS(blank, 400);
    EXPECT_JSON(blank, R"({"username":["This field may not be blank."]})");

    Response blank_pw = register_raw(reg_body(unique_name("bl"), "x@example.com", "", ""));
    EXPECT_STATUS(blank_pw, 400);
    EXPECT_JSON(
        blank_pw,
        R"({"password":["This field may not be blank."],"password2":["This field may not be blank."]})");

    Response null_name = register_raw(to_json(json::object{{"username", nullptr},
                                                           {"email", "x@example.com"},
                                                           {"password", kPassword},
                                                           {"password2", kPassword}}));
    EXPECT_STATUS(null_name, 400);
    EXPECT_JSON(null_name, R"({"username":["This field may not be null."]})");
}

TEST(Register, NonStringPassword) {
    Response r = register_raw(to_json(json::object{{"username", unique_name("ns")},
                                                   {"email", "x@example.com"},
                                                   {"password", json::array{"a"}},
                                                   {"password2", "a"}}));
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"password":["Not a valid string."]})");
}

TEST(Register, EmptyObjectListsEveryRequiredField) {
    Response r = register_raw("{}");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r,
        R"({"username":["This field is required."],"password":["This field is required."],"password2":["This field is required."],"email":["This field is required."]})");
}

TEST(Register, MalformedJson) {
    Response r = register_raw(R"({"username": )");
    EXPECT_STATUS(r, 400);
    json::object o = r.obj();
    ASSERT_EQ(o.size(), 1u) << r.describe();
    ASSERT_TRUE(o.contains("detail") && o["detail"].is_string()) << r.describe();
    EXPECT_EQ(str(o["detail"]).rfind("JSON parse error - ", 0), 0u) << r.describe();
    EXPECT_GT(str(o["detail"]).size(), std::string("JSON parse error - ").size());
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    EXPECT_SECURITY_HEADERS(r);
}

TEST(Register, JsonArrayInsteadOfObject) {
    Response r = register_raw("[1, 2]");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r,
                R"({"non_field_errors":["Invalid data. Expected a dictionary, but got list."]})");
}

TEST(Register, TextPlainIs415) {
    Response r =
        call(shared_server(), "POST", "/api/auth/register/", "username=x", "", "text/plain");
    EXPECT_STATUS(r, 415);
    EXPECT_JSON(r, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    EXPECT_SECURITY_HEADERS(r);
}

TEST(Register, FormEncodedBodyIsAccepted) {
    const std::string name = unique_name("form");
    const std::string email = name + "@example.com";
    Response r =
        post_form(shared_server(), "/api/auth/register/",
                  "username=" + url_encode(name) + "&email=" + url_encode(email) +
                      "&password=" + url_encode(kPassword) + "&password2=" + url_encode(kPassword));
    EXPECT_STATUS(r, 201);
    EXPECT_JSON(r, to_json(json::object{{"username", name}, {"email", email}}));
    EXPECT_NO_THROW(login(shared_server(), name, kPassword));
}

TEST(Register, SurroundingWhitespaceIsTrimmed) {
    const std::string name = unique_name("trim");
    Response r = register_raw(
        reg_body("  " + name + "\t", "  " + name + "@example.com ", kPassword, kPassword));
    EXPECT_STATUS(r, 201);
    EXPECT_JSON(r, to_json(json::object{{"username", name}, {"email", name + "@example.com"}}));
    EXPECT_NO_THROW(login(shared_server(), name, kPassword));
}

// ------------------------------------------------------------------------------------------
// POST /api/auth/token/

TEST(TokenObtain, SuccessReturnsSimplejwtPair) {
    const TestUser& u = token_user();
    Response r = post(shared_server(), "/api/auth/token/",
                      to_json(json::object{{"username", u.username}, {"password", u.password}}));
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    EXPECT_SECURITY_HEADERS(r);
    json::object o = r.obj();
    ASSERT_EQ(o.size(), 2u) << r.describe();
    const std::string access = str(o["access"]);
    const std::string refresh = str(o["refresh"]);
    ASSERT_FALSE(access.empty());
    ASSERT_FALSE(refresh.empty());

    EXPECT_EQ(json::value(jwt_part(access, 0)), parse_json(R"({"alg":"HS256","typ":"JWT"})"));
    EXPECT_EQ(json::value(jwt_part(refresh, 0)), parse_json(R"({"alg":"HS256","typ":"JWT"})"));

    static const std::regex kJti("^[0-9a-f]{32}$");
    const int64_t now = unix_now();
    json::object a = jwt_part(access, 1);
    EXPECT_EQ(str(a["token_type"]), "access");
    ASSERT_TRUE(a["exp"].is_int64() && a["iat"].is_int64()) << json::serialize(a);
    EXPECT_EQ(a["exp"].as_int64() - a["iat"].as_int64(), 300);
    EXPECT_LE(std::abs(a["iat"].as_int64() - now), 60);
    EXPECT_TRUE(std::regex_match(str(a["jti"]), kJti)) << json::serialize(a);
    ASSERT_TRUE(a["user_id"].is_int64()) << json::serialize(a);
    EXPECT_EQ(a["user_id"].as_int64(), u.id);

    json::object f = jwt_part(refresh, 1);
    EXPECT_EQ(str(f["token_type"]), "refresh");
    ASSERT_TRUE(f["exp"].is_int64() && f["iat"].is_int64()) << json::serialize(f);
    EXPECT_EQ(f["exp"].as_int64() - f["iat"].as_int64(), 86400);
    EXPECT_TRUE(std::regex_match(str(f["jti"]), kJti)) << json::serialize(f);
    EXPECT_NE(str(f["jti"]), str(a["jti"]));
    EXPECT_EQ(f["user_id"].as_int64(), u.id);

    // The tokens are signed with SECRET_KEY: re-signing the same input gives the same signature.
    const std::size_t dot = access.rfind('.');
    EXPECT_EQ(access.substr(dot + 1),
              b64url_encode(hmac_sha256(kSecretKey, access.substr(0, dot))));

    EXPECT_STATUS(get(shared_server(), "/api/resumes/", access), 200);
}

TEST(TokenObtain, WrongPassword) {
    const TestUser& u = token_user();
    Response r = post(shared_server(), "/api/auth/token/",
                      to_json(json::object{{"username", u.username}, {"password", "wrong"}}));
    expect_401(r, R"({"detail":"No active account found with the given credentials"})");
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
}

TEST(TokenObtain, UnknownUser) {
    Response r =
        post(shared_server(), "/api/auth/token/",
             to_json(json::object{{"username", unique_name("ghost")}, {"password", kPassword}}));
    expect_401(r, R"({"detail":"No active account found with the given credentials"})");
}

TEST(TokenObtain, InactiveUserCannotLogIn) {
    for (const char* name : {"example_user", "anonymous_user"}) {
        Response r = post(shared_server(), "/api/auth/token/",
                          to_json(json::object{{"username", name}, {"password", kPassword}}));
        expect_401(r, R"({"detail":"No active account found with the given credentials"})");
    }
}

TEST(TokenObtain, MissingFields) {
    Response r = post(shared_server(), "/api/auth/token/", "{}");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(
        r, R"({"username":["This field is required."],"password":["This field is required."]})");
}

TEST(TokenObtain, FormEncoded) {
    const TestUser& u = token_user();
    Response r =
        post_form(shared_server(), "/api/auth/token/",
                  "username=" + url_encode(u.username) + "&password=" + url_encode(u.password));
    EXPECT_STATUS(r, 200);
    EXPECT_TRUE(r.obj().contains("access")) << r.describe();
}

TEST(TokenObtain, StaleBearerTokenIsIgnoredByTokenViews) {
    // simplejwt's token views have no authentication classes: a client sending an old token
    // can still log in and refresh.
    const TestUser& u = token_user();
    Response r =
        call(shared_server(), "POST", "/api/auth/token/",
             to_json(json::object{{"username", u.username}, {"password", u.password}}), "garbage");
    EXPECT_STATUS(r, 200);
    Response rr = call(shared_server(), "POST", "/api/auth/token/refresh/",
                       to_json(json::object{{"refresh", u.refresh}}), "garbage");
    EXPECT_STATUS(rr, 200);
}

// ------------------------------------------------------------------------------------------
// POST /api/auth/token/refresh/

Response refresh_with(std::string_view token) {
    return post(shared_server(), "/api/auth/token/refresh/",
                to_json(json::object{{"refresh", token}}));
}

TEST(TokenRefresh, SuccessReturnsOnlyANewAccessToken) {
    const TestUser& u = token_user();
    Response r = refresh_with(u.refresh);
    ASSERT_STATUS(r, 200);
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    json::object o = r.obj();
    EXPECT_EQ(o.size(), 1u) << "rotation is off: no new refresh token" << r.describe();
    const std::string access = str(o["access"]);
    ASSERT_FALSE(access.empty());
    json::object claims = jwt_part(access, 1);
    EXPECT_EQ(str(claims["token_type"]), "access");
    EXPECT_EQ(claims["user_id"], json::value(u.id));
    EXPECT_STATUS(get(shared_server(), "/api/resumes/", access), 200);
}

TEST(TokenRefresh, Garbage) {
    Response r = refresh_with("garbage");
    expect_401(r, kRefreshInvalid);
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
}

TEST(TokenRefresh, AccessTokenHasWrongType) {
    expect_401(refresh_with(token_user().access),
               R"({"detail":"Token has wrong type","code":"token_not_valid"})");
}

TEST(TokenRefresh, MissingField) {
    Response r = post(shared_server(), "/api/auth/token/refresh/", "{}");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"refresh":["This field is required."]})");
}

TEST(TokenRefresh, ExpiredButCorrectlySigned) {
    json::object claims = token_claims(token_user().id, "refresh");
    claims["exp"] = unix_now() - 3600;
    claims["iat"] = unix_now() - 90000;
    expect_401(refresh_with(mint_token(claims)), kRefreshInvalid);
}

TEST(TokenRefresh, WrongSignature) {
    expect_401(refresh_with(mint_token(token_claims(token_user().id, "refresh", 86400),
                                       "some-other-secret-key-0123456789abcdef")),
               kRefreshInvalid);
}

TEST(TokenRefresh, AlgNone) {
    expect_401(refresh_with(make_jwt(json::object{{"alg", "none"}, {"typ", "JWT"}},
                                     token_claims(token_user().id, "refresh", 86400))),
               kRefreshInvalid);
}

TEST(TokenRefresh, MintedWithTheSecretKeyIsAccepted) {
    Response r = refresh_with(mint_token(token_claims(token_user().id, "refresh", 86400)));
    ASSERT_STATUS(r, 200);
    EXPECT_STATUS(get(shared_server(), "/api/resumes/", str(r.obj()["access"])), 200);
}

TEST(TokenRefresh, UnknownUserIsNoActiveAccount) {
    // beyond: the original keeps issuing access tokens for users that are gone.
    expect_401(
        refresh_with(mint_token(token_claims(987654321, "refresh", 86400))),
        R"({"detail":"No active account found for the given token.","code":"no_active_account"})");
}

TEST(TokenRefresh, InactiveUserIsNoActiveAccount) {
    expect_401(
        refresh_with(mint_token(token_claims(example_user_id(), "refresh", 86400))),
        R"({"detail":"No active account found for the given token.","code":"no_active_account"})");
}

// ------------------------------------------------------------------------------------------
// POST /api/auth/token/verify/ and /api/auth/token/blacklist/ (beyond)

TEST(TokenVerify, ValidTokensAnswerEmptyObject) {
    const TestUser& u = token_user();
    for (const std::string& token : {u.access, u.refresh}) {
        Response r = post(shared_server(), "/api/auth/token/verify/",
                          to_json(json::object{{"token", token}}));
        EXPECT_STATUS(r, 200);
        EXPECT_JSON(r, "{}");
        EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    }
}

TEST(TokenVerify, InvalidTokens) {
    const TestUser& u = token_user();
    json::object expired = token_claims(u.id);
    expired["exp"] = unix_now() - 10;
    for (const std::string& token :
         {std::string("garbage"), mint_token(expired),
          mint_token(token_claims(u.id), "some-other-secret-key-0123456789abcdef"),
          make_jwt(json::object{{"alg", "none"}, {"typ", "JWT"}}, token_claims(u.id))}) {
        SCOPED_TRACE(token);
        expect_401(post(shared_server(), "/api/auth/token/verify/",
                        to_json(json::object{{"token", token}})),
                   kRefreshInvalid);
    }
}

TEST(TokenVerify, MissingField) {
    Response r = post(shared_server(), "/api/auth/token/verify/", "{}");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"token":["This field is required."]})");
}

TEST(TokenBlacklist, BlacklistedRefreshTokenIsRefused) {
    TestUser u = create_user(shared_server(), "logout");
    ASSERT_STATUS(refresh_with(u.refresh), 200);

    Response r = post(shared_server(), "/api/auth/token/blacklist/",
                      to_json(json::object{{"refresh", u.refresh}}));
    EXPECT_STATUS(r, 200);
    EXPECT_JSON(r, "{}");
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);

    Response again = refresh_with(u.refresh);
    EXPECT_STATUS(again, 401);
    json::object o = again.obj();
    EXPECT_EQ(str(o["code"]), "token_not_valid") << again.describe();
    EXPECT_TRUE(str(o["detail"]) == "Token is blacklisted" ||
                str(o["detail"]) == "Token is invalid or expired")
        << again.describe();
    EXPECT_EQ(again.header("WWW-Authenticate"), R"(Bearer realm="api")");

    Response twice = post(shared_server(), "/api/auth/token/blacklist/",
                          to_json(json::object{{"refresh", u.refresh}}));
    EXPECT_STATUS(twice, 401);

    // Other refresh tokens of the same user still work.
    TestUser fresh = login(shared_server(), u.username, u.password);
    EXPECT_STATUS(refresh_with(fresh.refresh), 200);
}

TEST(TokenBlacklist, AccessTokenAndMissingField) {
    expect_401(post(shared_server(), "/api/auth/token/blacklist/",
                    to_json(json::object{{"refresh", token_user().access}})),
               R"({"detail":"Token has wrong type","code":"token_not_valid"})");
    expect_401(post(shared_server(), "/api/auth/token/blacklist/",
                    to_json(json::object{{"refresh", "garbage"}})),
               kRefreshInvalid);
    Response r = post(shared_server(), "/api/auth/token/blacklist/", "{}");
    EXPECT_STATUS(r, 400);
    EXPECT_JSON(r, R"({"refresh":["This field is required."]})");
}

constexpr std::string_view kBlacklisted =
    R"({"detail":"Token is blacklisted","code":"token_not_valid"})";
constexpr std::string_view kNoActiveAccount =
    R"({"detail":"No active account found for the given token.","code":"no_active_account"})";

Response blacklist(const Server& s, std::string_view refresh) {
    return post(s, "/api/auth/token/blacklist/", to_json(json::object{{"refresh", refresh}}));
}

Response verify(const Server& s, std::string_view token) {
    return post(s, "/api/auth/token/verify/", to_json(json::object{{"token", token}}));
}

// One column of the first row of `sql` on the shared server's database ("" when no row).
std::string db_value(const Server& s, const std::string& sql) {
    auto row = query_row(s.data_dir(), sql);
    if (!row) throw std::runtime_error("query failed: " + sql);
    return row->empty() ? "" : (*row)[0];
}

std::string outstanding_count(const Server& s, std::string_view jti) {
    return db_value(s, "SELECT COUNT(*) FROM token_blacklist_outstandingtoken WHERE jti = '" +
                           std::string(jti) + "'");
}

std::string blacklisted_count(const Server& s, std::string_view jti) {
    return db_value(s,
                    "SELECT COUNT(*) FROM token_blacklist_blacklistedtoken b JOIN "
                    "token_blacklist_outstandingtoken o ON o.id = b.token_id WHERE o.jti = '" +
                        std::string(jti) + "'");
}

TEST(TokenVerify, BlacklistedRefreshTokenIsRefused) {
    TestUser u = create_user(shared_server(), "verifybl");
    ASSERT_STATUS(verify(shared_server(), u.refresh), 200);
    ASSERT_STATUS(blacklist(shared_server(), u.refresh), 200);
    // simplejwt's TokenVerifySerializer says 400 {"non_field_errors": ["Token is blacklisted"]}
    // (and only with BLACKLIST_AFTER_ROTATION); the contract wants the 401 token body.
    Response r = verify(shared_server(), u.refresh);
    expect_401(r, kBlacklisted);
    EXPECT_EQ(r.header("Allow"), kAllowPostOnly);
    // The access token of the same login is not blacklisted (simplejwt: access tokens never are).
    EXPECT_STATUS(verify(shared_server(), u.access), 200);
}

TEST(TokenBlacklist, EveryIssuedRefreshTokenIsOutstanding) {
    TestUser u = create_user(shared_server(), "outstanding");
    const std::string jti = str(jwt_part(u.refresh, 1)["jti"]);
    auto row = query_row(shared_server().data_dir(),
                         "SELECT user_id, token, created_at IS NOT NULL, expires_at FROM "
                         "token_blacklist_outstandingtoken WHERE jti = '" +
                             jti + "'");
    ASSERT_TRUE(row.has_value());
    ASSERT_EQ(row->size(), 4u) << "no outstanding row for the refresh token of a login";
    EXPECT_EQ((*row)[0], std::to_string(u.id));
    EXPECT_EQ((*row)[1], u.refresh);
    EXPECT_TRUE((*row)[2] == "1" || (*row)[2] == "t") << (*row)[2];
    EXPECT_EQ(blacklisted_count(shared_server(), jti), "0");
    // An access token is never recorded.
    EXPECT_EQ(outstanding_count(shared_server(), str(jwt_part(u.access, 1)["jti"])), "0");
}

TEST(TokenBlacklist, TokenMintedByTheDjangoVersionRefreshesAndIsBlacklistable) {
    // No outstanding row: simplejwt creates one (without user) when it blacklists such a token.
    const std::string refresh = mint_token(token_claims(token_user().id, "refresh", 86400));
    const std::string jti = str(jwt_part(refresh, 1)["jti"]);
    ASSERT_STATUS(refresh_with(refresh), 200);
    EXPECT_EQ(outstanding_count(shared_server(), jti), "0");
    Response r = blacklist(shared_server(), refresh);
    EXPECT_STATUS(r, 200);
    EXPECT_JSON(r, "{}");
    EXPECT_EQ(db_value(shared_server(),
                       "SELECT COALESCE(user_id, -1) FROM token_blacklist_outstandingtoken "
                       "WHERE jti = '" +
                           jti + "'"),
              "-1");
    EXPECT_EQ(blacklisted_count(shared_server(), jti), "1");
    expect_401(refresh_with(refresh), kBlacklisted);
    expect_401(blacklist(shared_server(), refresh), kBlacklisted);
}

TEST(TokenRefresh, DeactivatedUserIsNoActiveAccount) {
    TestUser u = create_user(shared_server(), "deactivated");
    ASSERT_STATUS(refresh_with(u.refresh), 200);
    ASSERT_TRUE(
        execute_sql(shared_server().data_dir(),
                    "UPDATE auth_user SET is_active = FALSE WHERE id = " + std::to_string(u.id)));
    expect_401(refresh_with(u.refresh), kNoActiveAccount);
    // Logging out still works.
    EXPECT_STATUS(blacklist(shared_server(), u.refresh), 200);
}

TEST(TokenRefresh, DeletedUserIsNoActiveAccount) {
    TestUser u = create_user(shared_server(), "deleted");
    ASSERT_STATUS(refresh_with(u.refresh), 200);
    // As Django's admin deletes a user: outstanding tokens keep existing without one (SET_NULL).
    const std::string id = std::to_string(u.id);
    ASSERT_TRUE(execute_sql(shared_server().data_dir(),
                            "UPDATE token_blacklist_outstandingtoken SET user_id = NULL WHERE "
                            "user_id = " +
                                id + "; DELETE FROM auth_user WHERE id = " + id));
    expect_401(refresh_with(u.refresh), kNoActiveAccount);
    EXPECT_STATUS(blacklist(shared_server(), u.refresh), 200);
    expect_401(refresh_with(u.refresh), kBlacklisted);
}

TEST(TokenBlacklist, FlushExpiredTokensDeletesExpiredRowsAndTheirBlacklistEntries) {
    const Server& s = shared_server();
    const std::string expired = random_jti();
    const std::string expired_blacklisted = random_jti();
    ASSERT_TRUE(execute_sql(
        s.data_dir(),
        "INSERT INTO token_blacklist_outstandingtoken (token, created_at, expires_at, user_id, "
        "jti) VALUES ('x', NULL, '2000-01-01 00:00:00', NULL, '" +
            expired +
            "'), ('y', NULL, "
            "'2000-01-01 00:00:00', NULL, '" +
            expired_blacklisted +
            "'); "
            "INSERT INTO token_blacklist_blacklistedtoken (blacklisted_at, token_id) SELECT "
            "'2000-01-01 00:00:00', id FROM token_blacklist_outstandingtoken WHERE jti = '" +
            expired_blacklisted + "'"));
    TestUser live = create_user(s, "flush");
    ASSERT_STATUS(blacklist(s, live.refresh), 200);
    const std::string live_jti = str(jwt_part(live.refresh, 1)["jti"]);
    const std::string blacklisted_rows = "SELECT COUNT(*) FROM token_blacklist_blacklistedtoken";
    const int64_t before = std::stoll(db_value(s, blacklisted_rows));

    CliResult r = s.cli({"flushexpiredtokens"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(outstanding_count(s, expired), "0");
    EXPECT_EQ(outstanding_count(s, expired_blacklisted), "0");
    EXPECT_EQ(std::stoll(db_value(s, blacklisted_rows)), before - 1);
    // Tokens that have not expired stay, blacklisted or not.
    EXPECT_EQ(outstanding_count(s, live_jti), "1");
    EXPECT_EQ(blacklisted_count(s, live_jti), "1");
    expect_401(refresh_with(live.refresh), kBlacklisted);
    EXPECT_EQ(outstanding_count(s, str(jwt_part(token_user().refresh, 1)["jti"])), "1");

    CliResult again = s.cli({"flushexpiredtokens"});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
}

// ------------------------------------------------------------------------------------------
// Refresh token rotation (RESUMATE_ROTATE_REFRESH_TOKENS)

// Started on first use; stopped when the test program exits.
Server& rotating_server() {
    static const std::unique_ptr<Server> server = [] {
        auto s = std::make_unique<Server>(
            ServerOptions{.env = {{"RESUMATE_ROTATE_REFRESH_TOKENS", "true"}},
                          .with_superuser = false,
                          .tag = "rotate"});
        s->start();
        return s;
    }();
    return *server;
}

TEST(TokenRotation, RefreshAnswersANewRefreshTokenAndBlacklistsTheOldOne) {
    Server& s = rotating_server();
    TestUser u = create_user(s, "rotate");
    Response r = post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}}));
    ASSERT_STATUS(r, 200);
    json::object o = r.obj();
    ASSERT_EQ(o.size(), 2u) << r.describe();
    EXPECT_EQ(r.body.find(R"({"access":)"), 0u) << "simplejwt's key order" << r.describe();
    const std::string access = str(o["access"]);
    const std::string rotated = str(o["refresh"]);
    ASSERT_FALSE(rotated.empty());
    EXPECT_NE(rotated, u.refresh);
    EXPECT_STATUS(get(s, "/api/resumes/", access), 200);

    json::object old_claims = jwt_part(u.refresh, 1);
    json::object new_claims = jwt_part(rotated, 1);
    EXPECT_EQ(str(new_claims["token_type"]), "refresh");
    EXPECT_EQ(new_claims["user_id"], json::value(u.id));
    EXPECT_NE(str(new_claims["jti"]), str(old_claims["jti"]));
    EXPECT_EQ(new_claims["exp"].as_int64() - new_claims["iat"].as_int64(), 86400);
    std::vector<std::string> keys;
    for (const auto& kv : new_claims) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"token_type", "exp", "iat", "jti", "user_id"}));
    EXPECT_EQ(outstanding_count(s, str(new_claims["jti"])), "1");
    EXPECT_EQ(blacklisted_count(s, str(old_claims["jti"])), "1");

    // The old one is refused from now on; the new one works, once.
    expect_401(post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}})),
               kBlacklisted);
    expect_401(verify(s, u.refresh), kBlacklisted);
    Response next =
        post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", rotated}}));
    ASSERT_STATUS(next, 200);
    EXPECT_TRUE(next.obj().contains("refresh")) << next.describe();
    expect_401(post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", rotated}})),
               kBlacklisted);
}

TEST(TokenRotation, RotationOfATokenMintedByTheDjangoVersion) {
    Server& s = rotating_server();
    TestUser u = create_user(s, "rotdj");
    const std::string refresh = mint_token(token_claims(u.id, "refresh", 86400));
    Response r = post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", refresh}}));
    ASSERT_STATUS(r, 200);
    EXPECT_TRUE(r.obj().contains("refresh")) << r.describe();
    expect_401(post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", refresh}})),
               kBlacklisted);
}

TEST(TokenRotation, InactiveUserGetsNoNewRefreshToken) {
    Server& s = rotating_server();
    TestUser u = create_user(s, "rotinactive");
    ASSERT_TRUE(execute_sql(
        s.data_dir(), "UPDATE auth_user SET is_active = FALSE WHERE id = " + std::to_string(u.id)));
    expect_401(post(s, "/api/auth/token/refresh/", to_json(json::object{{"refresh", u.refresh}})),
               kNoActiveAccount);
    // Refused before rotating: the token was not blacklisted by the attempt.
    EXPECT_EQ(blacklisted_count(s, str(jwt_part(u.refresh, 1)["jti"])), "0");
}

// ------------------------------------------------------------------------------------------
// JWT misuse on a protected endpoint (§3)

Response resumes_with_authorization(std::string_view authorization) {
    return get(shared_server(), "/api/resumes/", "",
               HeaderList{{"Authorization", std::string(authorization)}});
}

void expect_access_error(const Response& r, std::string_view message) {
    expect_401(r, access_token_error(message));
    EXPECT_EQ(r.header("Allow"), kAllowList) << r.describe();
}

TEST(JwtMisuse, NoAuthorizationHeader) {
    Response r = get(shared_server(), "/api/resumes/");
    expect_401(r, kNotProvided);
    EXPECT_EQ(r.header("Allow"), kAllowList);
}

TEST(JwtMisuse, BearerGarbage) {
    expect_access_error(resumes_with_authorization("Bearer garbage"),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, RefreshTokenUsedAsAccessToken) {
    expect_access_error(resumes_with_authorization("Bearer " + token_user().refresh),
                        "Token has wrong type");
}

TEST(JwtMisuse, ExpiredAndSignedWithUnknownKey) {
    json::object claims = token_claims(token_user().id);
    claims["exp"] = unix_now() - 3600;
    expect_access_error(
        resumes_with_authorization("Bearer " +
                                   mint_token(claims, "unknown-key-unknown-key-unknown-key-42")),
        "Token is invalid or expired");
}

TEST(JwtMisuse, ValidClaimsSignedWithDifferentKey) {
    expect_access_error(resumes_with_authorization(
                            "Bearer " + mint_token(token_claims(token_user().id),
                                                   "unknown-key-unknown-key-unknown-key-42")),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, AlgNone) {
    expect_access_error(resumes_with_authorization(
                            "Bearer " + make_jwt(json::object{{"alg", "none"}, {"typ", "JWT"}},
                                                 token_claims(token_user().id))),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, OtherAlgorithmHeaderIsRejected) {
    // HS512 header but an HS256 signature: must not be accepted.
    expect_access_error(resumes_with_authorization(
                            "Bearer " + make_jwt(json::object{{"alg", "HS512"}, {"typ", "JWT"}},
                                                 token_claims(token_user().id))),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, TamperedSignature) {
    std::string token = mint_token(token_claims(token_user().id));
    ASSERT_STATUS(resumes_with_authorization("Bearer " + token), 200);
    // Change a character in the middle of the signature (the last one may only hold padding).
    const std::size_t pos = token.rfind('.') + 10;
    token[pos] = token[pos] == 'A' ? 'B' : 'A';
    expect_access_error(resumes_with_authorization("Bearer " + token),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, TamperedPayload) {
    TestUser other = create_user(shared_server(), "victim");
    std::string token = mint_token(token_claims(token_user().id));
    json::object claims = jwt_part(token, 1);
    claims["user_id"] = other.id;
    const std::size_t first = token.find('.');
    const std::size_t last = token.rfind('.');
    std::string forged =
        token.substr(0, first + 1) + b64url_encode(json::serialize(claims)) + token.substr(last);
    expect_access_error(resumes_with_authorization("Bearer " + forged),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, BearerWithoutToken) {
    Response r = resumes_with_authorization("Bearer");
    expect_401(r, kBadAuthHeader);
    EXPECT_EQ(r.header("Allow"), kAllowList);
}

TEST(JwtMisuse, BearerWithTwoValues) {
    expect_401(resumes_with_authorization("Bearer a b"), kBadAuthHeader);
}

TEST(JwtMisuse, OtherSchemeIsIgnored) {
    expect_401(resumes_with_authorization("Token " + token_user().access), kNotProvided);
    expect_401(resumes_with_authorization("Basic dXNlcjpwYXNz"), kNotProvided);
}

TEST(JwtMisuse, SchemeIsCaseSensitive) {
    expect_401(resumes_with_authorization("bearer " + token_user().access), kNotProvided);
}

TEST(JwtMisuse, BadTokenOnPublicEndpointIsStill401) {
    Response models = get(shared_server(), "/api/ai/models/", "garbage");
    expect_401(models, access_token_error());
    EXPECT_EQ(models.header("Allow"), kAllowReadOnly);

    Response examples = get(shared_server(), "/api/example-job-applications/", "garbage");
    expect_401(examples, access_token_error());

    Response generate =
        call(shared_server(), "POST", "/api/ai/generate/",
             to_json(json::object{{"model", "ResuMate Offline"}, {"user_input", kResumeInput}}),
             "garbage");
    expect_401(generate, access_token_error());
    EXPECT_EQ(generate.header("Allow"), kAllowPostOnly);
}

TEST(JwtMisuse, CorrectlySignedButExpired) {
    json::object claims = token_claims(token_user().id);
    claims["iat"] = unix_now() - 600;
    claims["exp"] = unix_now() - 300;
    expect_access_error(resumes_with_authorization("Bearer " + mint_token(claims)),
                        "Token is invalid or expired");
}

TEST(JwtMisuse, CorrectlySignedWithoutTokenType) {
    json::object claims = token_claims(token_user().id);
    claims.erase("token_type");
    expect_access_error(resumes_with_authorization("Bearer " + mint_token(claims)),
                        "Token has no type");
}

TEST(JwtMisuse, CorrectlySignedWithoutJti) {
    json::object claims = token_claims(token_user().id);
    claims.erase("jti");
    expect_access_error(resumes_with_authorization("Bearer " + mint_token(claims)),
                        "Token has no id");
}

TEST(JwtMisuse, CorrectlySignedWithoutExp) {
    json::object claims = token_claims(token_user().id);
    claims.erase("exp");
    expect_access_error(resumes_with_authorization("Bearer " + mint_token(claims)),
                        "Token has no 'exp' claim");
}

TEST(JwtMisuse, CorrectlySignedWithoutUserId) {
    json::object claims = token_claims(token_user().id);
    claims.erase("user_id");
    Response r = resumes_with_authorization("Bearer " + mint_token(claims));
    expect_401(
        r,
        R"({"detail":"Token contained no recognizable user identification","code":"token_not_valid"})");
    EXPECT_EQ(r.header("Allow"), kAllowList);
}

TEST(JwtMisuse, CorrectlySignedUnknownUser) {
    expect_401(resumes_with_authorization("Bearer " + mint_token(token_claims(987654321))),
               R"({"detail":"User not found","code":"user_not_found"})");
}

TEST(JwtMisuse, CorrectlySignedInactiveUser) {
    expect_401(resumes_with_authorization("Bearer " + mint_token(token_claims(example_user_id()))),
               R"({"detail":"User is inactive","code":"user_inactive"})");
}

TEST(JwtMisuse, MintedTokenWithTheSecretKeyIsAccepted) {
    // Tokens are interchangeable with the Django version's (same SECRET_KEY, same claims).
    Response r = resumes_with_authorization("Bearer " + mint_token(token_claims(token_user().id)));
    EXPECT_STATUS(r, 200);
    EXPECT_TRUE(r.json().is_array()) << r.describe();
}

TEST(JwtMisuse, UnknownRouteWithBadTokenIs404) {
    Response r = get(shared_server(), "/api/nonexistent/", "garbage");
    EXPECT_STATUS(r, 404);
    EXPECT_JSON(r, kNotFound);
}

}  // namespace
}  // namespace e2e
