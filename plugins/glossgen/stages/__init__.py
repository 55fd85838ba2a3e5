"""The stages of the pipeline, each a function of the previous stage's output and its memo.

load (YAML -> Glossary) -> lint -> snippets (runs) -> texts (sandbox, autolink) -> pages,
translation, exports, notebooks. A stage imports only `glossgen.core` and the stages it
builds on; none imports the pipeline, the memory or a face.
"""
