// resumate: the ResuMate server and its management verbs.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <algorithm>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "ai/model_store.hpp"
#include "ai/retention.hpp"
#include "app/app.hpp"
#include "app/backup.hpp"
#include "app/healthcheck.hpp"
#include "db/run_sync.hpp"
#include "users/field_validators.hpp"
#include "users/password_hasher.hpp"
#include "users/password_validators.hpp"
#include "users/token_blacklist_store.hpp"
#include "users/user_service.hpp"
#include "users/user_store.hpp"
#include "util/log.hpp"

using namespace resumate;

namespace {

int create_superuser(app::App& a, std::string username, std::string email, std::string password,
                     bool noinput) {
    if (noinput || username.empty()) {
        const app::Config& c = a.config();
        if (username.empty()) username = c.variable("DJANGO_SUPERUSER_USERNAME").value_or("");
        if (email.empty()) email = c.variable("DJANGO_SUPERUSER_EMAIL").value_or("");
        if (password.empty()) password = c.variable("DJANGO_SUPERUSER_PASSWORD").value_or("");
    }
    if (username.empty()) {
        std::cerr << "createsuperuser: a username is required (--username or "
                     "DJANGO_SUPERUSER_USERNAME)\n";
        return 2;
    }
    // The rules and messages of registration (POST /api/auth/register/), one line each.
    bool invalid = false;
    for (const auto& msg : users::username_problems(username)) {
        std::cerr << "createsuperuser: username: " << msg << "\n";
        invalid = true;
    }
    if (!email.empty()) {
        for (const auto& msg : users::email_problems(email)) {
            std::cerr << "createsuperuser: email: " << msg << "\n";
            invalid = true;
        }
    }
    if (invalid) return 2;
    // Stored and looked up in the NFKC form, as registration and login use it.
    username = users::normalize_username(username);
    if (password.empty()) {
        std::cerr << "createsuperuser: a password is required (--password or "
                     "DJANGO_SUPERUSER_PASSWORD)\n";
        return 2;
    }
    users::UserStore store(a.database());
    if (auto existing = db::run_sync(store.find_by_username(username))) {
        // As the original's entrypoint expects: an existing superuser is not an error.
        std::cout << "Superuser \"" << username << "\" already exists.\n";
        return 0;
    }
    std::string hash = users::make_password(password);
    db::run_sync(store.create({username, email, hash, true, true, true}));
    std::cout << "Superuser \"" << username << "\" created.\n";
    return 0;
}

struct ModelArgs {
    std::string target;
    std::optional<std::string> display_name, model_name, provider, key_name, response_time,
        description;
    std::optional<bool> login_required, active;
    std::optional<int64_t> daily_limit;
};

enum class ModelVerb { Add, Update, Enable, Disable, Remove };

int list_models(app::App& a) {
    auto all = db::run_sync(ai::ModelStore(a.database()).list());
    std::printf("%-4s %-22s %-28s %-18s %-20s %-6s %-6s %s\n", "id", "display name", "model",
                "provider", "key variable", "active", "login", "daily");
    for (const auto& m : all) {
        std::printf("%-4lld %-22s %-28s %-18s %-20s %-6s %-6s %lld\n", static_cast<long long>(m.id),
                    m.display_name.c_str(), m.model_name.c_str(), m.api_provider.c_str(),
                    m.api_key_name.c_str(), m.is_active ? "yes" : "no",
                    m.login_required ? "yes" : "no", static_cast<long long>(m.daily_limit));
    }
    return 0;
}

int change_model(app::App& a, const ModelArgs& args, ModelVerb verb) {
    ai::ModelStore store(a.database());
    ai::AiModel m;
    if (verb != ModelVerb::Add) {
        auto all = db::run_sync(store.list());
        auto it = std::find_if(all.begin(), all.end(),
                               [&](const ai::AiModel& x) { return x.display_name == args.target; });
        if (it == all.end()) {
            std::fprintf(stderr, "ai-models: no model named \"%s\"\n", args.target.c_str());
            return 1;
        }
        m = *it;
    }
    if (verb == ModelVerb::Remove) {
        db::run_sync(store.remove(m.id));
    } else {
        if (verb == ModelVerb::Enable) m.is_active = true;
        if (verb == ModelVerb::Disable) m.is_active = false;
        if (args.display_name) m.display_name = *args.display_name;
        if (args.model_name) m.model_name = *args.model_name;
        if (args.provider) {
            if (std::find(std::begin(ai::kProviders), std::end(ai::kProviders), *args.provider) ==
                std::end(ai::kProviders)) {
                std::fprintf(stderr, "ai-models: unknown provider \"%s\"\n",
                             args.provider->c_str());
                return 2;
            }
            m.api_provider = *args.provider;
        }
        if (args.key_name) m.api_key_name = *args.key_name;
        if (args.response_time) m.response_time_info = *args.response_time;
        if (args.description) m.description = *args.description;
        if (args.login_required) m.login_required = *args.login_required;
        if (args.active) m.is_active = *args.active;
        if (args.daily_limit) {
            if (*args.daily_limit < 0) {
                std::fprintf(stderr, "ai-models: --daily-limit must be 0 or more\n");
                return 2;
            }
            m.daily_limit = *args.daily_limit;
        }
        // The operator's egress policy, as the admin API applies it.
        const ai::EgressPolicy egress = a.config().ai_egress();
        if (args.key_name) {
            if (auto problem = egress.key_name_problem(*args.key_name)) {
                std::fprintf(stderr, "ai-models: api_key_name: %s\n", problem->c_str());
                return 2;
            }
        }
        if (args.model_name) {
            if (auto problem = egress.model_name_problem(*args.model_name)) {
                std::fprintf(stderr, "ai-models: model_name: %s\n", problem->c_str());
                return 2;
            }
        }
        if (m.display_name.empty() || m.display_name.size() > 100 || m.model_name.size() > 100) {
            std::fprintf(
                stderr,
                "ai-models: display name must have 1 to 100 characters, model name at most 100\n");
            return 2;
        }
        if (db::run_sync(store.display_name_taken(m.display_name, m.id))) {
            std::fprintf(stderr, "ai-models: a model named \"%s\" already exists\n",
                         m.display_name.c_str());
            return 1;
        }
        if (verb == ModelVerb::Add) {
            db::run_sync(store.create(m));
        } else {
            db::run_sync(store.update(m));
        }
    }
    // Drop the cached list where this process can reach it (Redis: every instance), and tell a
    // server running on this data directory to drop its own (an in-process cache).
    a.drop_models_cache();
    if (auto pid = a.signal_running_server(SIGHUP)) {
        std::printf("ok (the server with pid %d drops its cached model list)\n", *pid);
    } else {
        std::printf("ok\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Every file the server writes (database, WAL, pid file, backups) is private to its user.
    ::umask(077);
    CLI::App cli{
        "ResuMate: a REST backend for AI-assisted resume writing and job-application tracking.\n"
        "Configuration comes from the environment (or a .env file); see the README."};
    cli.require_subcommand(1);
    auto* serve = cli.add_subcommand(
        "serve", "Serve the REST API (applies migrations and seeds on the embedded default)");
    auto* migrate =
        cli.add_subcommand("migrate", "Create or upgrade the database schema (idempotent)");
    auto* seed = cli.add_subcommand(
        "seed", "Insert the AI models and the example job applications (idempotent)");
    auto* su = cli.add_subcommand(
        "createsuperuser", "Create a staff superuser (flags or DJANGO_SUPERUSER_* variables)");
    std::string su_username, su_email, su_password;
    bool su_noinput = false;
    su->add_option("--username", su_username, "Username");
    su->add_option("--email", su_email, "Email address");
    su->add_option("--password", su_password,
                   "Password (prefer DJANGO_SUPERUSER_PASSWORD: flags show in ps)");
    su->add_flag("--noinput,--no-input", su_noinput,
                 "Read missing values from DJANGO_SUPERUSER_* variables");
    auto* flush = cli.add_subcommand(
        "flushexpiredtokens",
        "Delete expired refresh tokens from the outstanding and blacklisted lists");
    auto* purge = cli.add_subcommand(
        "purge", "Delete anonymous generations older than RESUMATE_ANONYMOUS_RETENTION_DAYS");
    int64_t purge_days = -1;
    purge
        ->add_option("--days", purge_days,
                     "Retention in days instead of RESUMATE_ANONYMOUS_RETENTION_DAYS (0 keeps all)")
        ->check(CLI::Range(int64_t{0}, int64_t{36500}));
    auto* check = cli.add_subcommand("check", "Validate the configuration and exit");
    auto* openapi = cli.add_subcommand(
        "openapi", "Print the OpenAPI 3.1 description of the API (as GET /api/schema/ answers)");
    std::string openapi_file;
    openapi->add_option("-o,--output", openapi_file, "Write it to this file instead");
    auto* healthcheck = cli.add_subcommand(
        "healthcheck",
        "Exit 0 when the server at HOST:PORT answers GET /healthz with 200 (container probes)");
    auto* backup = cli.add_subcommand(
        "backup",
        "Write a consistent copy of the database to FILE, also while serving (SQLite: its online "
        "backup API; PostgreSQL: pg_dump's custom format)");
    std::string backup_file;
    backup->add_option("file", backup_file, "Backup file (replaced when it exists)")->required();
    auto* restore = cli.add_subcommand(
        "restore",
        "Replace the database's content with the backup in FILE (stop the server first)");
    std::string restore_file;
    bool restore_force = false;
    restore->add_option("file", restore_file, "A file written by `resumate backup`")->required();
    restore->add_flag("--force", restore_force, "Replace a database that already holds tables");
    auto* models = cli.add_subcommand(
        "ai-models", "Manage the AI models (list|add|update|enable|disable|remove)");
    models->require_subcommand(1);
    auto* m_list = models->add_subcommand("list", "List every model");
    ModelArgs margs;
    auto* m_add = models->add_subcommand("add", "Add a model");
    auto* m_update = models->add_subcommand("update", "Change a model's fields");
    for (auto* sc : {m_add, m_update}) {
        sc->add_option("--display-name", margs.display_name, "Name shown to users (unique)");
        sc->add_option("--model-name", margs.model_name, "The provider's model id");
        sc->add_option("--provider", margs.provider,
                       "google_gemini, open_router, openai_compatible, offline, auto");
        sc->add_option("--api-key-name", margs.key_name, "Environment variable holding the key");
        sc->add_option("--login-required", margs.login_required, "true/false");
        sc->add_option("--daily-limit", margs.daily_limit,
                       "Successful generations per user per UTC day (0 = none)");
        sc->add_option("--response-time-info", margs.response_time, "Shown to users");
        sc->add_option("--description", margs.description, "Shown to users");
        sc->add_option("--active", margs.active, "true/false");
    }
    m_add->get_option("--display-name")->required();
    m_add->get_option("--model-name")->required();
    m_add->get_option("--provider")->required();
    auto* m_enable = models->add_subcommand("enable", "Make a model available");
    auto* m_disable = models->add_subcommand("disable", "Hide a model from users");
    auto* m_remove = models->add_subcommand("remove", "Delete a model");
    for (auto* sc : {m_update, m_enable, m_disable, m_remove}) {
        sc->add_option("name", margs.target, "Display name of the model")->required();
    }
    CLI11_PARSE(cli, argc, argv);

    app::Config config;
    try {
        config = app::Config::from_environment();
    } catch (const app::ConfigError& e) {
        std::fprintf(stderr, "configuration error: %s\n", e.what());
        return 2;
    }
    if (*openapi) {
        // Nothing but the routes is needed: no database file, no Redis, no log lines on stdout.
        config.database_url = "sqlite://:memory:";
        config.redis.reset();
        config.replica_conninfos.clear();
        if (config.secret_key.empty()) config.secret_key = "unused: the description signs nothing";
        config.log_level = "warn";
    }
    app::init_logging(config.log_level, config.json_logs);

    try {
        if (*check) {
            std::cout << "configuration OK\n";
            return 0;
        }
        if (*healthcheck) {
            std::string why;
            if (app::server_healthy(config, std::chrono::seconds(3), why)) return 0;
            std::fprintf(stderr, "unhealthy: %s\n", why.c_str());
            return 1;
        }
        if (*backup || *restore) {
            try {
                if (*backup) {
                    auto r = app::backup_database(config, backup_file);
                    std::cout << "Backed up the " << r.engine << " database to " << backup_file
                              << " (" << r.bytes << " bytes).\n";
                } else {
                    auto r = app::restore_database(config, restore_file, restore_force);
                    std::cout << "Restored the " << r.engine << " database from " << restore_file
                              << ".\n";
                }
                return 0;
            } catch (const app::BackupError& e) {
                std::fprintf(stderr, "%s failed: %s\n", *backup ? "backup" : "restore", e.what());
                return 1;
            }
        }
        app::App a(config);
        if (*openapi) {
            const std::string doc = a.openapi_json() + "\n";
            if (openapi_file.empty()) {
                std::cout << doc;
                return 0;
            }
            const std::string tmp = openapi_file + ".tmp";
            std::ofstream(tmp, std::ios::binary | std::ios::trunc) << doc;
            if (std::rename(tmp.c_str(), openapi_file.c_str()) != 0) {
                std::fprintf(stderr, "cannot write %s\n", openapi_file.c_str());
                return 1;
            }
            return 0;
        }
        if (*migrate) {
            auto r = a.migrate();
            for (auto& m : r.applied) std::cout << "Applying " << m << "... OK\n";
            for (auto& m : r.faked) std::cout << "Applying " << m << "... FAKED (table exists)\n";
            if (r.applied.empty() && r.faked.empty()) std::cout << "No migrations to apply.\n";
            return 0;
        }
        if (*seed) {
            a.migrate();
            auto r = a.seed();
            std::cout << "Seeded " << r.models << " AI models and " << r.examples
                      << " example job applications.\n";
            return 0;
        }
        if (*models) {
            a.migrate();
            if (*m_list) return list_models(a);
            if (*m_add) return change_model(a, margs, ModelVerb::Add);
            if (*m_update) return change_model(a, margs, ModelVerb::Update);
            if (*m_enable) return change_model(a, margs, ModelVerb::Enable);
            if (*m_disable) return change_model(a, margs, ModelVerb::Disable);
            if (*m_remove) return change_model(a, margs, ModelVerb::Remove);
        }
        if (*flush) {
            a.migrate();
            // simplejwt's command: expires_at <= now; blacklist rows go with their token.
            int64_t n =
                db::run_sync(users::TokenBlacklistStore(a.database()).flush_expired(util::now()));
            std::cout << "Deleted " << n << " expired outstanding tokens.\n";
            return 0;
        }
        if (*purge) {
            a.migrate();
            int64_t days = purge_days >= 0 ? purge_days : a.config().anonymous_retention_days;
            int64_t n = db::run_sync(
                ai::purge_anonymous_generations(a.database(), a.system_users(), days, util::now()));
            std::cout << "Deleted " << n << " anonymous generations older than " << days
                      << " days.\n";
            return 0;
        }
        if (*su) {
            a.migrate();
            int rc = create_superuser(a, su_username, su_email, su_password, su_noinput);
            spdlog::shutdown();
            return rc;
        }
        if (*serve) {
            if (a.config().secret_key_generated) {
                util::log::warn(
                    "SECRET_KEY is not set: using a generated key kept in {}/secret_key. Set "
                    "SECRET_KEY "
                    "(at least 32 characters) in production.",
                    a.config().data_dir);
            } else if (a.config().secret_key.size() < app::kMinSecretKeyLength) {
                // Allowed on the embedded default only (PostgreSQL refuses to start).
                util::log::warn(
                    "SECRET_KEY has fewer than {} characters: tokens signed with it are easy to "
                    "forge",
                    app::kMinSecretKeyLength);
            }
            if (config.auto_migrate) {
                // A database slow to answer (starting, or on a loaded host) is given ten tries
                // of the 1 s connect before the server gives up. A refused connection or a bad
                // URL ends it at once, as before.
                db::MigrationReport r;
                for (int attempt = 1;; ++attempt) {
                    try {
                        r = a.migrate();
                        break;
                    } catch (const db::Unavailable& e) {
                        if (attempt == 10 ||
                            std::string_view(e.what()).find("timed out") == std::string_view::npos)
                            throw;
                        if (attempt == 1)
                            util::log::warn("waiting for the database ({})", e.what());
                        std::this_thread::sleep_for(std::chrono::milliseconds(500));
                    }
                }
                if (!r.applied.empty()) util::log::info("applied {} migrations", r.applied.size());
                auto s = a.seed();
                if (s.models || s.examples)
                    util::log::info("seeded {} AI models and {} example applications", s.models,
                                    s.examples);
            }
            a.serve();
            spdlog::shutdown();
            return 0;
        }
    } catch (const app::ConfigError& e) {
        std::fprintf(stderr, "configuration error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        util::log::critical("{}", e.what());
        spdlog::shutdown();
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
