# Resume export (src/documents/): cmark-gfm parses the Markdown, Pango and Cairo typeset the PDF
# (fontconfig finds the fonts: DejaVu, WenQuanYi Micro Hei for CJK), libzip zips the DOCX. Only
# resumate_documents links them; what links it gets them as link-only dependencies.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RESUMATE_DOCUMENT_LIBS REQUIRED IMPORTED_TARGET
  pangocairo cairo-pdf libzip libcmark-gfm)
target_link_libraries(resumate_documents PRIVATE PkgConfig::RESUMATE_DOCUMENT_LIBS)
# No precompiled header: the layer uses none of Asio, Beast or spdlog, and pkg-config's -pthread
# (from GLib) defines _REENTRANT, which the shared header was not compiled with (-Winvalid-pch).
set_target_properties(resumate_documents PROPERTIES DISABLE_PRECOMPILE_HEADERS ON)
