using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Platform.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkersReportInsHazards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "enterprises",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Industry = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprises", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hazard_reports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Category = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Latitude = table.Column<double>(type: "double precision", nullable: false),
                    Longitude = table.Column<double>(type: "double precision", nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: true),
                    Department = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StatusNotes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MeTooCount = table.Column<int>(type: "integer", nullable: false),
                    HasPhoto = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazard_reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hazard_routes",
                columns: table => new
                {
                    Category = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Department = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazard_routes", x => new { x.Category, x.District });
                });

            migrationBuilder.CreateTable(
                name: "report_ins",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeclineReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_report_ins", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "workers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    NameCipher = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    PhoneCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PhoneIndex = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IdNumberCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Occupation = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    EnterpriseId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartyMember = table.Column<bool>(type: "boolean", nullable: false),
                    PartyJoinedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hazard_photos",
                columns: table => new
                {
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContentType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazard_photos", x => x.ReportId);
                    table.ForeignKey(
                        name: "FK_hazard_photos_hazard_reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "hazard_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "hazard_status_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    From = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    To = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ActorKind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    ActorDepartment = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazard_status_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_hazard_status_changes_hazard_reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "hazard_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "hazard_submissions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    MeToo = table.Column<bool>(type: "boolean", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hazard_submissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_hazard_submissions_hazard_reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "hazard_reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "hazard_routes",
                columns: new[] { "Category", "District", "Department", "UpdatedAt" },
                values: new object[,]
                {
                    { "BrokenManholeCover", "", "housing", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "Clutter", "", "urban-management", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "ElevatorFailure", "", "market-regulation", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "HangingCable", "", "power-supply", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "IllegalConstruction", "", "urban-management", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "OpenGarbage", "", "urban-management", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "Other", "", "urban-management", new DateTimeOffset(new DateTime(2026, 11, 25, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) }
                });

            migrationBuilder.CreateIndex(
                name: "IX_hazard_reports_Department_ReportedAt",
                table: "hazard_reports",
                columns: new[] { "Department", "ReportedAt" });

            migrationBuilder.CreateIndex(
                name: "ix_hazard_reports_open_position",
                table: "hazard_reports",
                columns: new[] { "Category", "Latitude", "Longitude" },
                filter: "\"Status\" IN ('Open', 'Acknowledged', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "IX_hazard_reports_ReportedAt",
                table: "hazard_reports",
                column: "ReportedAt");

            migrationBuilder.CreateIndex(
                name: "IX_hazard_status_changes_ReportId_ChangedAt",
                table: "hazard_status_changes",
                columns: new[] { "ReportId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_hazard_submissions_ReportId_WorkerId",
                table: "hazard_submissions",
                columns: new[] { "ReportId", "WorkerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hazard_submissions_WorkerId_SubmittedAt",
                table: "hazard_submissions",
                columns: new[] { "WorkerId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_report_ins_CommunityId_Status",
                table: "report_ins",
                columns: new[] { "CommunityId", "Status" });

            migrationBuilder.CreateIndex(
                name: "ix_report_ins_one_pending",
                table: "report_ins",
                column: "WorkerId",
                unique: true,
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_report_ins_WorkerId_Status",
                table: "report_ins",
                columns: new[] { "WorkerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_workers_Occupation",
                table: "workers",
                column: "Occupation");

            migrationBuilder.CreateIndex(
                name: "IX_workers_PhoneIndex",
                table: "workers",
                column: "PhoneIndex",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "enterprises");

            migrationBuilder.DropTable(
                name: "hazard_photos");

            migrationBuilder.DropTable(
                name: "hazard_routes");

            migrationBuilder.DropTable(
                name: "hazard_status_changes");

            migrationBuilder.DropTable(
                name: "hazard_submissions");

            migrationBuilder.DropTable(
                name: "report_ins");

            migrationBuilder.DropTable(
                name: "workers");

            migrationBuilder.DropTable(
                name: "hazard_reports");
        }
    }
}
