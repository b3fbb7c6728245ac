// The translation unit that compiles the precompiled header src/pch.hpp (see layers.cmake).
