using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Rights.Data.Migrations
{
    /// <inheritdoc />
    public partial class RightsCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Urgency = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    RequesterWorkerId = table.Column<Guid>(type: "uuid", nullable: true),
                    CallbackNumber = table.Column<string>(type: "text", nullable: true),
                    CallbackNumberIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true),
                    Description = table.Column<string>(type: "text", nullable: false),
                    SubmittedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FirstResponseDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TriagedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AssignedProfessionalId = table.Column<Guid>(type: "uuid", nullable: true),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstRespondedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Resolution = table.Column<string>(type: "text", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Satisfaction = table.Column<int>(type: "integer", nullable: true),
                    EscalatedTo = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    EscalationReason = table.Column<string>(type: "text", nullable: true),
                    EscalatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "content_reads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    SupervisorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_content_reads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hotline_calls",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LocalDate = table.Column<DateOnly>(type: "date", nullable: false),
                    DurationSeconds = table.Column<int>(type: "integer", nullable: false),
                    Category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Crisis = table.Column<bool>(type: "boolean", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: true),
                    TakenBy = table.Column<Guid>(type: "uuid", nullable: false),
                    LoggedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hotline_calls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "joint_activities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Partners = table.Column<string[]>(type: "text[]", nullable: false),
                    ScheduledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Location = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Participants = table.Column<int>(type: "integer", nullable: true),
                    HeldAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_joint_activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "professionals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Specialty = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_professionals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "supervisor_alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_supervisor_alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "case_notes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Author = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AuthorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    WrittenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_notes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_notes_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_notes_CaseId_WrittenAt",
                table: "case_notes",
                columns: new[] { "CaseId", "WrittenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_AssignedProfessionalId_SubmittedAt",
                table: "cases",
                columns: new[] { "AssignedProfessionalId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_CallbackNumberIndex",
                table: "cases",
                column: "CallbackNumberIndex");

            migrationBuilder.CreateIndex(
                name: "IX_cases_RequesterWorkerId_SubmittedAt",
                table: "cases",
                columns: new[] { "RequesterWorkerId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_Status_FirstResponseDueAt",
                table: "cases",
                columns: new[] { "Status", "FirstResponseDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_SubmittedAt",
                table: "cases",
                column: "SubmittedAt");

            migrationBuilder.CreateIndex(
                name: "IX_content_reads_CaseId_ReadAt",
                table: "content_reads",
                columns: new[] { "CaseId", "ReadAt" });

            migrationBuilder.CreateIndex(
                name: "IX_content_reads_ReadAt",
                table: "content_reads",
                column: "ReadAt");

            migrationBuilder.CreateIndex(
                name: "IX_content_reads_SupervisorId_ReadAt",
                table: "content_reads",
                columns: new[] { "SupervisorId", "ReadAt" });

            migrationBuilder.CreateIndex(
                name: "IX_hotline_calls_LocalDate_Category",
                table: "hotline_calls",
                columns: new[] { "LocalDate", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_hotline_calls_StartedAt",
                table: "hotline_calls",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_joint_activities_Status_ScheduledAt",
                table: "joint_activities",
                columns: new[] { "Status", "ScheduledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_professionals_Specialty_Active",
                table: "professionals",
                columns: new[] { "Specialty", "Active" });

            migrationBuilder.CreateIndex(
                name: "IX_supervisor_alerts_AcknowledgedAt_RaisedAt",
                table: "supervisor_alerts",
                columns: new[] { "AcknowledgedAt", "RaisedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_notes");

            migrationBuilder.DropTable(
                name: "content_reads");

            migrationBuilder.DropTable(
                name: "hotline_calls");

            migrationBuilder.DropTable(
                name: "joint_activities");

            migrationBuilder.DropTable(
                name: "professionals");

            migrationBuilder.DropTable(
                name: "supervisor_alerts");

            migrationBuilder.DropTable(
                name: "cases");
        }
    }
}
