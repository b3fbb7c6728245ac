// resumate: the ResuMate server and its management verbs.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "app/app.hpp"
#include "db/run_sync.hpp"
#include "users/field_validators.hpp"
#include "users/password_hasher.hpp"
#include "users/password_validators.hpp"
#include "users/user_store.hpp"

using namespace resumate;

namespace {

int create_superuser(app::App& a, std::string username, std::string email, std::string password, bool noinput) {
    if (noinput || username.empty()) {
        if (username.empty()) username = app::env("DJANGO_SUPERUSER_USERNAME").value_or("");
        if (email.empty()) email = app::env("DJANGO_SUPERUSER_EMAIL").value_or("");
        if (password.empty()) password = app::env("DJANGO_SUPERUSER_PASSWORD").value_or("");
    }
    if (username.empty()) {
        std::cerr << "createsuperuser: a username is required (--username or DJANGO_SUPERUSER_USERNAME)\n";
        return 2;
    }
    if (!users::is_valid_username(username) || username.size() > 150) {
        std::cerr << "createsuperuser: invalid username: letters, digits and @/./+/-/_ only, at most 150\n";
        return 2;
    }
    if (!email.empty() && !users::is_valid_email(email)) {
        std::cerr << "createsuperuser: invalid email address\n";
        return 2;
    }
    if (password.empty()) {
        std::cerr << "createsuperuser: a password is required (--password or DJANGO_SUPERUSER_PASSWORD)\n";
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

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"ResuMate: a REST backend for AI-assisted resume writing and job-application tracking.\n"
                 "Configuration comes from the environment (or a .env file); see the README."};
    cli.require_subcommand(1);
    auto* serve = cli.add_subcommand("serve", "Serve the REST API (applies migrations and seeds on the embedded default)");
    auto* migrate = cli.add_subcommand("migrate", "Create or upgrade the database schema (idempotent)");
    auto* seed = cli.add_subcommand("seed", "Insert the AI models and the example job applications (idempotent)");
    auto* su = cli.add_subcommand("createsuperuser", "Create a staff superuser (flags or DJANGO_SUPERUSER_* variables)");
    std::string su_username, su_email, su_password;
    bool su_noinput = false;
    su->add_option("--username", su_username, "Username");
    su->add_option("--email", su_email, "Email address");
    su->add_option("--password", su_password, "Password (prefer DJANGO_SUPERUSER_PASSWORD: flags show in ps)");
    su->add_flag("--noinput,--no-input", su_noinput, "Read missing values from DJANGO_SUPERUSER_* variables");
    auto* check = cli.add_subcommand("check", "Validate the configuration and exit");
    CLI11_PARSE(cli, argc, argv);

    app::Config config;
    try {
        config = app::Config::from_environment();
    } catch (const app::ConfigError& e) {
        std::fprintf(stderr, "configuration error: %s\n", e.what());
        return 2;
    }
    app::init_logging(config.log_level);

    try {
        if (*check) {
            std::cout << "configuration OK\n";
            return 0;
        }
        app::App a(config);
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
            std::cout << "Seeded " << r.models << " AI models and " << r.examples << " example job applications.\n";
            return 0;
        }
        if (*su) {
            a.migrate();
            int rc = create_superuser(a, su_username, su_email, su_password, su_noinput);
            spdlog::shutdown();
            return rc;
        }
        if (*serve) {
            if (config.auto_migrate) {
                auto r = a.migrate();
                if (!r.applied.empty()) spdlog::info("applied {} migrations", r.applied.size());
                auto s = a.seed();
                if (s.models || s.examples) spdlog::info("seeded {} AI models and {} example applications", s.models, s.examples);
            }
            a.serve();
            spdlog::shutdown();
            return 0;
        }
    } catch (const app::ConfigError& e) {
        std::fprintf(stderr, "configuration error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        spdlog::shutdown();
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
