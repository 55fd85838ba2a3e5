"""The ground floor: what every stage shares and nothing above it may change.

Errors, the validated model, the result types the stages hand each other, number
formatting, collation, Markdown and URL helpers, labels, memos and file writing. No
module here imports a stage, the pipeline or a face.
"""
